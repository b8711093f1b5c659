import { randomUUID } from 'node:crypto';
import { createSchedulerClient, operations, SchedulerClient, Schema } from '../../../clients/typescript/src';
import { createBusiness, createUser } from '../../factories/factories';
import { isoDay } from '../../factories/world';
import { ListeningTestApp, startListeningTestApp, token } from '../../utils/test-app';
import { eventually } from '../../utils/wait';

/*
 * The journeys of docs/quickstart.md, through clients/typescript only, as a frontend and an
 * operator would use it: every request goes through openapi-fetch, typed by the generated
 * schema, and this file is type-checked with the rest of the suite. Host rows
 * (public.biz_entity, public.auth_user) and tokens come from the host application, as they
 * would in production.
 */
describe('the TypeScript client', () => {
  let t: ListeningTestApp;

  beforeAll(async () => {
    t = await startListeningTestApp();
  });
  afterAll(() => t.close());

  const clientFor = (bearer: string): SchedulerClient => createSchedulerClient({ baseUrl: t.baseUrl, token: bearer });

  /** An admin's setup, all through the client: a location, a person with weekly hours, a week of slots. */
  async function setUpLocation(): Promise<{ admin: SchedulerClient; location: Schema<'LocationDto'>; person: Schema<'PersonDto'>; report: Schema<'GenerationReportDto'> }> {
    const biz = await createBusiness(t.db);
    const admin = clientFor(await token({ roles: ['admin'], biz: [biz] }));
    const location = await admin.POST('/v1/admin/locations', {
      body: { bizEntityId: biz, name: 'Harbour clinic', timezone: 'Europe/London', policy: { holdTtlSeconds: 600 } },
    });
    expect(location.response.status).toBe(201);
    const person = await admin.POST('/v1/admin/people', { body: { locationId: location.data!.id, name: 'Dr. Rana Aziz' } });
    expect(person.response.status).toBe(201);
    const weekly = await admin.POST('/v1/admin/availability-rules', {
      body: {
        personId: person.data!.id,
        kind: 'weekly',
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        startTime: '09:00',
        endTime: '17:00',
        slotMinutes: 50,
        bufferBeforeMinutes: 5,
        bufferAfterMinutes: 5,
      },
    });
    expect(weekly.response.status).toBe(201);
    // Eight 50-minute slots a day, each with 5 minutes free either side; the old name reads the after-buffer.
    expect(weekly.data).toMatchObject({ slotMinutes: 50, bufferBeforeMinutes: 5, bufferAfterMinutes: 5, bufferMinutes: 5 });
    const report = await admin.POST('/v1/admin/slot-generations', { body: { locationId: location.data!.id, from: isoDay(1), to: isoDay(8) } });
    expect(report.response.status).toBe(200);
    return { admin, location: location.data!, person: person.data!, report: report.data! };
  }

  it('sets up a location as an admin: location, person, weekly rule, blackout, policy change, slot generation', async () => {
    const { admin, location, person, report } = await setUpLocation();
    expect(location).toMatchObject({ name: 'Harbour clinic', timezone: 'Europe/London', active: true, policy: { holdTtlSeconds: 600, maxActiveHoldsPerUser: 2 } });
    expect(person).toMatchObject({ locationId: location.id, name: 'Dr. Rana Aziz', weight: 1, active: true });
    expect(report).toEqual({ created: 8 * 8, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] });

    // A blackout takes only its own fields, and a policy change only the one field that changes.
    const blackout = await admin.POST('/v1/admin/availability-rules', { body: { personId: person.id, kind: 'blackout', startDate: isoDay(3), endDate: isoDay(3) } });
    expect(blackout.response.status).toBe(201);
    expect(blackout.data).toMatchObject({ kind: 'blackout', startDate: isoDay(3), endDate: isoDay(3) });
    const changed = await admin.PATCH('/v1/admin/locations/{id}', { params: { path: { id: location.id } }, body: { policy: { cancelCutoffMinutes: 60 } } });
    expect(changed.data?.policy).toMatchObject({ cancelCutoffMinutes: 60, holdTtlSeconds: 600 });
    const again = await admin.POST('/v1/admin/slot-generations', { body: { locationId: location.id, from: isoDay(1), to: isoDay(8) } });
    expect(again.data).toEqual({ created: 0, updated: 0, retired: 8, unchanged: 56, conflicts: [], skipped: [] });

    const slots = await admin.GET('/v1/admin/slots', { params: { query: { locationId: location.id, status: 'open', limit: 200 } } });
    expect(slots.data?.data).toHaveLength(56);
    expect(slots.data?.data.every((slot) => slot.personName === 'Dr. Rana Aziz')).toBe(true);
  });

  it('wires a host application to booking events as an admin: a webhook endpoint, a test delivery, the event feed', async () => {
    const { admin, location } = await setUpLocation();
    const url = 'https://hooks.example.com/scheduler';
    const created = await admin.POST('/v1/admin/webhooks', {
      body: { bizEntityId: location.bizEntityId, url, events: ['booking.confirmed', 'booking.cancelled'], description: 'Front desk app' },
    });
    expect(created.response.status).toBe(201);
    const endpoint: Schema<'WebhookWithSecretDto'> = created.data!;
    expect(endpoint).toMatchObject({ bizEntityId: location.bizEntityId, url, events: ['booking.confirmed', 'booking.cancelled'], description: 'Front desk app', enabled: true });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // @ts-expect-error event types are an enum in the contract: a misspelt one does not compile, and the server refuses it.
    const misspelt = await admin.POST('/v1/admin/webhooks', { body: { bizEntityId: location.bizEntityId, url, events: ['booking.confirm'] } });
    expect(misspelt.response.status).toBe(400);
    expect(misspelt.error?.code).toBe('VALIDATION_FAILED');

    const test = await admin.POST('/v1/admin/webhooks/{id}/test', { params: { path: { id: endpoint.id } } });
    expect(test.response.status).toBe(202);
    expect(test.data).toMatchObject({ webhookId: endpoint.id, eventType: 'webhook.test', status: 'pending', attempts: 0 });
    const deliveries = await admin.GET('/v1/admin/webhooks/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { status: 'pending' } } });
    expect(deliveries.data).toEqual({ data: [test.data], nextCursor: null });

    // A booking made and cancelled on a user's behalf: two events in the business's feed.
    const userId = await createUser(t.db);
    const slots = await admin.GET('/v1/admin/slots', { params: { query: { locationId: location.id, limit: 1 } } });
    const booked = await admin.POST('/v1/admin/bookings', { body: { slotId: slots.data!.data[0].id, userId } });
    expect(booked.data?.status).toBe('confirmed');
    const bookingId = booked.data!.id;
    const cancelled = await admin.POST('/v1/admin/bookings/{id}/cancel', { params: { path: { id: bookingId } }, body: { reason: 'Clinic closed' } });
    expect(cancelled.data?.status).toBe('cancelled');

    // Events appear once every older transaction on the server has ended, other test files' included.
    const feed = await eventually(
      () => admin.GET('/v1/admin/events', { params: { query: { types: 'booking.confirmed,booking.cancelled', limit: 10 } } }),
      (page) => (page.data?.data.length ?? 0) >= 2,
    );
    expect(feed.response.status).toBe(200);
    const events: Schema<'EventDto'>[] = feed.data!.data;
    expect(events.map((event) => [event.type, event.data.booking.id, event.data.booking.status])).toEqual([
      ['booking.confirmed', bookingId, 'confirmed'],
      ['booking.cancelled', bookingId, 'cancelled'],
    ]);
    expect(events[1].data.booking).toEqual(cancelled.data);
    expect(events[0].sequence).toBeLessThan(events[1].sequence);
    expect(feed.data!.nextAfter).toBe(events[1].sequence);

    // Resuming from nextAfter: nothing new, and the position holds.
    const resumed = await admin.GET('/v1/admin/events', { params: { query: { after: events[1].sequence } } });
    expect(resumed.data).toEqual({ data: [], nextAfter: events[1].sequence });
  });

  it('takes a user from browsing to a cancelled booking: browse, hold, confirm, list, cancel', async () => {
    const { location } = await setUpLocation();
    const userId = await createUser(t.db);
    const user = clientFor(await token({ sub: userId }));

    const open = await user.GET('/v1/locations', { params: { query: { bizEntityId: location.bizEntityId } } });
    expect(open.data?.data.map((entry) => entry.id)).toEqual([location.id]);
    const offer = await user.GET('/v1/locations/{locationId}/slots', { params: { path: { locationId: location.id } } });
    expect(offer.response.status).toBe(200);
    const slots = offer.data!.slots;
    expect(slots.length).toBeGreaterThanOrEqual(3);
    expect(slots.map((slot) => slot.startsAt)).toEqual([...slots.map((slot) => slot.startsAt)].sort());

    // No Idempotency-Key passed: the client's middleware adds one, as the public POSTs require.
    const hold = await user.POST('/v1/bookings', { body: { slotId: slots[0].id, notes: 'First visit' } });
    expect(hold.response.status).toBe(201);
    expect(hold.data).toMatchObject({ slotId: slots[0].id, userId, status: 'held', notes: 'First visit' });
    expect(Date.parse(hold.data!.holdExpiresAt!)).toBeGreaterThan(Date.now() + 590_000);

    const confirmed = await user.POST('/v1/bookings/{id}/confirm', { params: { path: { id: hold.data!.id } } });
    expect(confirmed.data).toMatchObject({ id: hold.data!.id, status: 'confirmed' });

    const mine = await user.GET('/v1/bookings', { params: { query: { status: 'confirmed' } } });
    expect(mine.data).toEqual({ data: [confirmed.data], nextCursor: null });

    const cancelled = await user.POST('/v1/bookings/{id}/cancel', { params: { path: { id: hold.data!.id } }, body: { reason: 'Cannot make it' } });
    expect(cancelled.data).toMatchObject({ id: hold.data!.id, status: 'cancelled', cancelReason: 'Cannot make it' });
    const cancelledOnly = await user.GET('/v1/bookings/{id}', { params: { path: { id: hold.data!.id } } });
    expect(cancelledOnly.data?.status).toBe('cancelled');
  });

  it('replays a write retried with its Idempotency-Key, and answers problems typed by code', async () => {
    const { location } = await setUpLocation();
    const user = clientFor(await token({ sub: await createUser(t.db) }));
    const offer = await user.GET('/v1/locations/{locationId}/slots', { params: { path: { locationId: location.id } } });
    const slotId = offer.data!.slots[0].id;

    const key = randomUUID();
    const first = await user.POST('/v1/bookings', { params: { header: { 'Idempotency-Key': key } }, body: { slotId } });
    const retry = await user.POST('/v1/bookings', { params: { header: { 'Idempotency-Key': key } }, body: { slotId } });
    expect(retry.response.status).toBe(201);
    expect(retry.response.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.data).toEqual(first.data);

    // Another key is another request: the slot is already the user's.
    const taken = await user.POST('/v1/bookings', { body: { slotId } });
    expect(taken.response.status).toBe(409);
    const code: Schema<'ErrorCode'> | undefined = taken.error?.code;
    expect(code).toBe('SLOT_UNAVAILABLE');

    // @ts-expect-error slotId is required: the generated types say so, and so does the server.
    const incomplete = await user.POST('/v1/bookings', { body: { notes: 'no slot' } });
    expect(incomplete.error).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'slotId', message: 'is required' }] });

    // The codes are per operation and status: a hold's 409 is never HAS_LIVE_BOOKINGS.
    type HoldConflict = operations['Bookings_hold']['responses'][409]['content']['application/problem+json']['code'];
    const conflicts: HoldConflict[] = ['SLOT_UNAVAILABLE', 'IDEMPOTENCY_KEY_IN_PROGRESS'];
    // @ts-expect-error HAS_LIVE_BOOKINGS is not a code POST /v1/bookings answers with 409.
    const notAHoldConflict: HoldConflict = 'HAS_LIVE_BOOKINGS';
    expect([...conflicts, notAHoldConflict]).toContain(taken.error?.code);
  });
});
