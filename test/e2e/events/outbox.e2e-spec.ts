import { TransactionHost } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { BookingsService } from '../../../src/bookings/bookings.service';
import { countRows } from '../../factories/factories';
import { startTestApp, testDatabaseUrl, TestApp, token } from '../../utils/test-app';
import { sleep } from '../../utils/wait';
import { feedOf, feedPage } from './event-helpers';

/**
 * The transactional outbox (issue: events for the host application): every booking state
 * change writes one event in its own transaction, carrying the booking as GET shows it, and
 * the feed serves them in commit order without ever skipping one that committed late.
 */
describe('booking events in the outbox', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const hold = (f: BookingFixture, user: { token: string }, slotId: string) =>
    t.api.post('/v1/bookings', { token: user.token, body: { slotId }, headers: key() });
  const adminGet = (f: BookingFixture, id: string) => t.api.get(`/v1/admin/bookings/${id}`, { token: f.admin });
  const adminPost = (f: BookingFixture, path: string, body?: Record<string, unknown>) =>
    t.api.post(`/v1/admin/bookings${path}`, { token: f.admin, body });
  const outboxRows = (bizEntityId: string) =>
    t.db.query(`SELECT sequence::float8 AS sequence, type, booking_id FROM scheduler.outbox_events WHERE biz_entity_id = $1 ORDER BY sequence`, [
      bizEntityId,
    ]) as Promise<{ sequence: number; type: string; booking_id: string }[]>;

  it('hold, confirm, reschedule, cancel: one event each, in order, each with the booking as GET showed it right after', async () => {
    const f = await bookingFixture(t, { slots: 3 });
    const held = await hold(f, f.user, f.slotIds[0]);
    expect(held.status).toBe(201);
    const id = held.body.id as string;
    const seen = [(await adminGet(f, id)).body];
    expect((await t.api.post(`/v1/bookings/${id}/confirm`, { token: f.user.token, headers: key() })).status).toBe(200);
    seen.push((await adminGet(f, id)).body);
    expect((await adminPost(f, `/${id}/reschedule`, { slotId: f.slotIds[1] })).status).toBe(200);
    seen.push((await adminGet(f, id)).body);
    expect((await adminPost(f, `/${id}/cancel`, { reason: 'moved away' })).status).toBe(200);
    seen.push((await adminGet(f, id)).body);

    const events = await feedOf(t, f.admin, 4);
    expect(events.map((e) => e.type)).toEqual(['booking.held', 'booking.confirmed', 'booking.rescheduled', 'booking.cancelled']);
    expect(events.map((e) => e.data.booking)).toEqual(seen);
    const [slot0] = (await t.db.query(
      `SELECT id, location_id AS "locationId", person_id AS "personId", starts_at AS "startsAt", ends_at AS "endsAt", local_start AS "localStart", timezone
         FROM scheduler.slot_instances WHERE id = $1`,
      [f.slotIds[0]],
    )) as Record<string, unknown>[];
    expect(events[2].data.previousSlot).toEqual({ ...slot0, startsAt: (slot0.startsAt as Date).toISOString(), endsAt: (slot0.endsAt as Date).toISOString() });
    expect(events.filter((e) => e.data.previousSlot !== undefined)).toHaveLength(1);
    expect(events[0].timestamp).toBe(seen[0].createdAt);
    expect(events[1].timestamp).toBe(seen[1].confirmedAt);
    expect(events[3].timestamp).toBe(seen[3].cancelledAt);
    // Stable ids, a strictly increasing sequence, the tenant on every row.
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events.map((e) => e.sequence)).toEqual([...events.map((e) => e.sequence)].sort((a, b) => a - b));
    expect(await outboxRows(f.bizEntityId)).toEqual(events.map((e) => ({ sequence: e.sequence, type: e.type, booking_id: id })));
    // Reading the feed again gives the very same events.
    expect(await feedOf(t, f.admin, 4)).toEqual(events);
  });

  it('complete, no-show and bulk cancel: one event per booking changed', async () => {
    const f = await bookingFixture(t, { slots: 4 });
    const booked: string[] = [];
    for (const slotId of f.slotIds) {
      const other = await newUser(t);
      booked.push((await adminPost(f, '', { slotId, userId: other.id })).body.id as string);
    }
    await t.db.query(
      `UPDATE scheduler.slot_instances
          SET starts_at = starts_at - interval '2 days', ends_at = ends_at - interval '2 days',
              buffered_starts_at = buffered_starts_at - interval '2 days', buffered_ends_at = buffered_ends_at - interval '2 days'
        WHERE id = ANY($1::uuid[])`,
      [f.slotIds.slice(0, 2)],
    );
    expect((await adminPost(f, `/${booked[0]}/complete`)).status).toBe(200);
    expect((await adminPost(f, `/${booked[1]}/no-show`)).status).toBe(200);
    const bulk = await adminPost(f, '/bulk-cancel', {
      locationId: f.locationId,
      from: new Date(Date.now()).toISOString(),
      to: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      reason: 'closed',
    });
    expect(bulk.body).toEqual({ cancelled: 2 });

    const events = await feedOf(t, f.admin, 8);
    expect(events.slice(0, 6).map((e) => [e.type, e.data.booking.id])).toEqual([
      ...booked.map((b) => ['booking.confirmed', b]),
      ['booking.completed', booked[0]],
      ['booking.no_show', booked[1]],
    ]);
    // A bulk cancellation writes its events in one statement, in no particular order.
    expect(events.slice(6).map((e) => [e.type, e.data.booking.id, e.data.booking.cancelReason]).sort()).toEqual(
      booked.slice(2).map((b) => ['booking.cancelled', b, 'closed']).sort(),
    );
    expect(events.map((e) => e.data.booking.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed', 'completed', 'no_show', 'cancelled', 'cancelled']);
  });

  it('a refused change writes no event, and one rolled back after its event was written leaves none', async () => {
    const f = await bookingFixture(t, { slots: 1, capacity: 1 });
    const held = await hold(f, f.user, f.slotIds[0]);
    const id = held.body.id as string;
    const before = await outboxRows(f.bizEntityId);
    expect(before.map((r) => r.type)).toEqual(['booking.held']);

    const someoneElse = await newUser(t);
    expect((await hold(f, someoneElse, f.slotIds[0])).status).toBe(409);
    expect((await adminPost(f, `/${id}/complete`)).status).toBe(409);
    expect(await outboxRows(f.bizEntityId)).toEqual(before);

    // The change and its event in one transaction that then fails: neither is left.
    const principal = { userId: f.user.id, roles: ['user'] as const, bizIds: [] };
    await expect(
      t.app.get(ClsService).run(() =>
        t.app.get(TransactionHost).withTransaction(async () => {
          await t.app.get(BookingsService).confirm(principal, id);
          expect(await countRows(t.db, 'scheduler.outbox_events', 'booking_id = $1', [id])).toBe(1);
          throw new Error('the transaction fails after the event was written');
        }),
      ),
    ).rejects.toThrow('the transaction fails after the event was written');
    expect(await outboxRows(f.bizEntityId)).toEqual(before);
    expect(await countRows(t.db, 'scheduler.booking_events', 'booking_id = $1', [id])).toBe(1);
    expect((await adminGet(f, id)).body.status).toBe('held');
  });

  it('expiry: reading a lapsed hold writes nothing; the next hold on its slot writes booking.expired, timed at holdExpiresAt', async () => {
    const f = await bookingFixture(t, { slots: 1, capacity: 1, policy: { holdTtlSeconds: 1 } });
    const held = await hold(f, f.user, f.slotIds[0]);
    const id = held.body.id as string;
    await sleep(1100);
    const lapsed = await t.api.get(`/v1/bookings/${id}`, { token: f.user.token });
    expect(lapsed.body.status).toBe('expired');
    expect((await adminGet(f, id)).body.status).toBe('expired');
    expect((await outboxRows(f.bizEntityId)).map((r) => r.type)).toEqual(['booking.held']);

    const next = await newUser(t);
    const taken = await hold(f, next, f.slotIds[0]);
    expect(taken.status).toBe(201);
    const events = await feedOf(t, f.admin, 3);
    expect(events.map((e) => [e.type, e.data.booking.id])).toEqual([
      ['booking.held', id],
      ['booking.expired', id],
      ['booking.held', taken.body.id],
    ]);
    expect(events[1].timestamp).toBe(held.body.holdExpiresAt);
    expect(events[1].data.booking).toEqual((await adminGet(f, id)).body);
  });

  describe('a late commit is never skipped', () => {
    let slow: Client;

    beforeEach(async () => {
      slow = new Client({ connectionString: testDatabaseUrl() });
      await slow.connect();
    });
    afterEach(() => slow.end());

    /** What a writer that started earlier and commits later adds: an event of the same business. */
    const lateEvent = (f: BookingFixture, booking: { id: string }) =>
      slow.query(
        `INSERT INTO scheduler.outbox_events (booking_id, biz_entity_id, type, occurred_at, data)
         VALUES ($1, $2, 'booking.confirmed', now(), jsonb_build_object('booking', $3::jsonb || '{"notes": "late"}'))
         RETURNING sequence::float8 AS sequence`,
        [booking.id, f.bizEntityId, JSON.stringify(booking)],
      );

    it('an event inserted first and committed last: the ones after it wait for it', async () => {
      const f = await bookingFixture(t, { slots: 3 });
      const first = await hold(f, f.user, f.slotIds[0]);
      const [read] = await feedOf(t, f.admin, 1);
      expect(read.data.booking.id).toBe(first.body.id);

      await slow.query('BEGIN');
      const { rows: [late] } = await lateEvent(f, read.data.booking);
      const second = await hold(f, f.user, f.slotIds[1]);
      expect(second.status).toBe(201);
      // Committed, but behind a transaction still running: not served yet.
      expect((await feedPage(t, f.admin, `after=${read.sequence}`)).data).toEqual([]);
      await slow.query('COMMIT');

      const rest = await feedOf(t, f.admin, 2, `after=${read.sequence}`);
      expect(rest.map((e) => e.sequence)).toEqual([late.sequence, late.sequence + 1]);
      expect(rest[1].data.booking.id).toBe(second.body.id);
    });

    it('feed order is commit order even when sequences were taken in another order', async () => {
      const f = await bookingFixture(t, { slots: 3 });
      const first = await hold(f, f.user, f.slotIds[0]);
      const [read] = await feedOf(t, f.admin, 1);

      await slow.query('BEGIN');
      // This transaction is older than the next change, though its event comes later.
      await slow.query('SELECT pg_current_xact_id()');
      const second = await hold(f, f.user, f.slotIds[1]);
      expect((await feedPage(t, f.admin, `after=${read.sequence}`)).data).toEqual([]);
      const { rows: [late] } = await lateEvent(f, read.data.booking);
      await slow.query('COMMIT');

      const rest = await feedOf(t, f.admin, 2, `after=${read.sequence}`);
      expect(rest.map((e) => e.data.booking.notes ?? e.data.booking.id)).toEqual(['late', second.body.id]);
      expect(rest[0].sequence).toBe(late.sequence);
      expect(rest[1].sequence).toBeLessThan(late.sequence);
      // Resuming after the late one still gives the change that followed it in the feed.
      expect((await feedPage(t, f.admin, `after=${late.sequence}`)).data.map((e) => e.sequence)).toEqual([rest[1].sequence]);
    });
  });

  describe('GET /v1/admin/events', () => {
    it('pages with limit and nextAfter, filters by type, and says where to resume when nothing is new', async () => {
      const f = await bookingFixture(t, { slots: 3 });
      for (const slotId of f.slotIds) {
        const held = await hold(f, f.user, slotId);
        await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: f.user.token, headers: key() });
      }
      const all = await feedOf(t, f.admin, 6);
      const first = await feedPage(t, f.admin, 'limit=4');
      expect(first.data).toEqual(all.slice(0, 4));
      expect(first.nextAfter).toBe(all[3].sequence);
      const second = await feedPage(t, f.admin, `limit=4&after=${first.nextAfter}`);
      expect(second.data).toEqual(all.slice(4));
      const drained = await feedPage(t, f.admin, `after=${second.nextAfter}`);
      expect(drained).toEqual({ data: [], nextAfter: all[5].sequence });

      const confirmed = await feedPage(t, f.admin, 'types=booking.confirmed');
      expect(confirmed.data).toEqual(all.filter((e) => e.type === 'booking.confirmed'));
      expect((await feedPage(t, f.admin, 'types=booking.confirmed,booking.held')).data).toEqual(all);
      expect(await feedPage(t, f.admin, 'types=booking.no_show')).toEqual({ data: [], nextAfter: null });
    });

    it('viewers read it; users may not; another business sees none of it and cannot resume from it', async () => {
      const f = await bookingFixture(t, { slots: 1 });
      await hold(f, f.user, f.slotIds[0]);
      const [event] = await feedOf(t, f.admin, 1);
      const viewer = await token({ roles: ['viewer'], biz: [f.bizEntityId] });
      expect((await feedPage(t, viewer)).data).toEqual([event]);
      const asUser = await t.api.get('/v1/admin/events', { token: f.user.token });
      expect(asUser.status).toBe(403);
      expect(asUser.body.code).toBe('FORBIDDEN');

      const g = await bookingFixture(t, { slots: 1 });
      expect((await feedPage(t, g.admin)).data).toEqual([]);
      const foreign = await t.api.get(`/v1/admin/events?after=${event.sequence}`, { token: g.admin });
      expect(foreign.status).toBe(400);
      expect(foreign.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'after', message: 'is not the sequence of an event in your feed' }] });
    });

    it.each([
      ['after=-1', 'after'],
      ['after=1.5', 'after'],
      ['after=abc', 'after'],
      ['types=booking.bogus', 'types'],
      ['types=', 'types'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
    ])('%s → 400 on %s', async (query, field) => {
      const f = await bookingFixture(t, { slots: 1 });
      const res = await t.api.get(`/v1/admin/events?${query}`, { token: f.admin });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });
});
