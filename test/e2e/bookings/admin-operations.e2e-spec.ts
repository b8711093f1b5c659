import { randomUUID } from 'node:crypto';
import { bookingFixture, BookingFixture, insertSlots, key, newUser } from '../../factories/bookings';
import { countRows } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/**
 * The operator's side of bookings (API.md §Admin API, DOMAIN.md §Booking states,
 * docs/decisions.md §Bookings): booking on a user's behalf, cancel, reschedule, close-out and
 * bulk cancel — each checked against the rows it leaves behind.
 */

interface BookingRow {
  slot_id: string;
  user_id: string;
  status: string;
  hold_expires_at: Date | null;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

interface EventRow {
  actor_sub: string | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  details: Record<string, unknown>;
}

describe('admin booking operations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** An operator of the fixture's business whose `sub` the test knows (events record it). */
  async function operatorOf(f: BookingFixture): Promise<{ sub: string; token: string }> {
    const sub = randomUUID();
    return { sub, token: await token({ sub, roles: ['admin'], biz: [f.bizEntityId] }) };
  }

  const adminBook = (adminToken: string, body: Record<string, unknown>) =>
    t.api.post('/v1/admin/bookings', { token: adminToken, body });
  const adminPost = (adminToken: string, path: string, body?: Record<string, unknown>) =>
    t.api.post(`/v1/admin/bookings${path}`, { token: adminToken, body });

  const bulkCancel = (adminToken: string, body: Record<string, unknown>) => adminPost(adminToken, '/bulk-cancel', body);

  async function bookingRow(id: string): Promise<BookingRow> {
    const [row] = (await t.db.query(
      `SELECT slot_id, user_id, status, hold_expires_at, confirmed_at, cancelled_at, cancel_reason
         FROM scheduler.bookings WHERE id = $1`,
      [id],
    )) as BookingRow[];
    return row;
  }

  const eventsOf = (id: string): Promise<EventRow[]> =>
    t.db.query(
      `SELECT actor_sub, from_status, to_status, reason, details FROM scheduler.booking_events WHERE booking_id = $1 ORDER BY id`,
      [id],
    );

  /** A booking written straight to the table, for slots the API (rightly) refuses to book. */
  async function insertBooking(slotId: string, userId: string, status: 'confirmed' | 'held', holdExpiresInSeconds = 300): Promise<string> {
    const [row] = (await t.db.query(
      `INSERT INTO scheduler.bookings (biz_entity_id, location_id, person_id, slot_id, user_id, status, hold_expires_at, confirmed_at)
       SELECT biz_entity_id, location_id, person_id, id, $2, $3,
              CASE WHEN $3 = 'held' THEN now() + make_interval(secs => $4) END,
              CASE WHEN $3 = 'confirmed' THEN now() END
         FROM scheduler.slot_instances WHERE id = $1
       RETURNING id`,
      [slotId, userId, status, holdExpiresInSeconds],
    )) as { id: string }[];
    return row.id;
  }

  async function startsAt(slotId: string): Promise<string> {
    const [row] = (await t.db.query(`SELECT starts_at FROM scheduler.slot_instances WHERE id = $1`, [slotId])) as { starts_at: Date }[];
    return row.starts_at.toISOString();
  }

  describe('POST /v1/admin/bookings', () => {
    it('books confirmed by default on the user\'s behalf and records the operator as the actor', async () => {
      const f = await bookingFixture(t);
      const op = await operatorOf(f);
      const res = await adminBook(op.token, { slotId: f.slotIds[0], userId: f.user.id, notes: 'phoned in' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        slotId: f.slotIds[0],
        userId: f.user.id,
        locationId: f.locationId,
        personId: f.personId,
        status: 'confirmed',
        notes: 'phoned in',
        confirmedAt: expect.any(String),
      });
      expect(res.body.holdExpiresAt).toBeUndefined();

      const row = await bookingRow(res.body.id);
      expect(row).toMatchObject({ slot_id: f.slotIds[0], user_id: f.user.id, status: 'confirmed', hold_expires_at: null });
      expect(row.confirmed_at).toBeInstanceOf(Date);
      expect(await eventsOf(res.body.id)).toEqual([
        { actor_sub: op.sub, from_status: null, to_status: 'confirmed', reason: null, details: {} },
      ]);
      // The user sees it as their own.
      const mine = await t.api.get(`/v1/bookings/${res.body.id}`, { token: f.user.token });
      expect(mine.status).toBe(200);
      expect(mine.body.status).toBe('confirmed');
    });

    it('places a hold with the location\'s TTL when status is held', async () => {
      const f = await bookingFixture(t, { policy: { holdTtlSeconds: 120 } });
      const res = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id, status: 'held' });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('held');
      expect(res.body.confirmedAt).toBeUndefined();
      expect((Date.parse(res.body.holdExpiresAt) - Date.parse(res.body.createdAt)) / 1000).toBe(120);
      const row = await bookingRow(res.body.id);
      expect(row.status).toBe('held');
      expect(row.confirmed_at).toBeNull();
      expect(row.hold_expires_at?.toISOString()).toBe(res.body.holdExpiresAt);
      // The user can confirm the hold the operator placed.
      const confirmed = await t.api.post(`/v1/bookings/${res.body.id}/confirm`, { token: f.user.token, headers: key() });
      expect(confirmed.status).toBe(200);
      expect((await bookingRow(res.body.id)).status).toBe('confirmed');
    });

    it('skips min-notice, horizon and the hold limit that stop the user', async () => {
      // Slots start 24 h, 25 h and 26 h ahead: all inside a two-day notice, the last two beyond a one-day horizon.
      const f = await bookingFixture(t, { policy: { minNoticeMinutes: 2 * 24 * 60, bookingHorizonDays: 1, maxActiveHoldsPerUser: 1 } });
      const byUser = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
      expect(byUser.status).toBe(422);
      expect(byUser.body.code).toBe('OUTSIDE_BOOKING_WINDOW');
      expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1', [f.user.id])).toBe(0);

      const first = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id, status: 'held' });
      const second = await adminBook(f.admin, { slotId: f.slotIds[1], userId: f.user.id, status: 'held' });
      const third = await adminBook(f.admin, { slotId: f.slotIds[2], userId: f.user.id });
      expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
      // Two live holds where the policy allows one, plus a confirmed booking beyond the horizon.
      expect(
        await countRows(t.db, 'scheduler.bookings', "user_id = $1 AND status = 'held' AND hold_expires_at > now()", [f.user.id]),
      ).toBe(2);
      expect(await countRows(t.db, 'scheduler.bookings', "user_id = $1 AND status = 'confirmed'", [f.user.id])).toBe(1);
    });

    it('still enforces capacity: a full slot is 409 SLOT_UNAVAILABLE and nothing is written', async () => {
      const f = await bookingFixture(t, { capacity: 1 });
      expect((await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id })).status).toBe(201);
      const other = await newUser(t);
      const full = await adminBook(f.admin, { slotId: f.slotIds[0], userId: other.id });
      expect(full.status).toBe(409);
      expect(full.body).toMatchObject({ code: 'SLOT_UNAVAILABLE', detail: 'The slot is full.' });
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [f.slotIds[0]])).toBe(1);
      expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1', [other.id])).toBe(0);

      // A live hold by the user takes the place just as well.
      const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[1] }, headers: key() });
      expect(held.status).toBe(201);
      const overHold = await adminBook(f.admin, { slotId: f.slotIds[1], userId: other.id });
      expect(overHold.status).toBe(409);
      expect(overHold.body.code).toBe('SLOT_UNAVAILABLE');
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [f.slotIds[1]])).toBe(1);
    });

    it('refuses to book the same user twice on one slot, even with room left', async () => {
      const f = await bookingFixture(t, { capacity: 3 });
      expect((await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id })).status).toBe(201);
      const again = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id, status: 'held' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('SLOT_UNAVAILABLE');
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [f.slotIds[0]])).toBe(1);
    });

    it('answers 422 UNKNOWN_REFERENCE for a user missing from public.auth_user, writing nothing', async () => {
      const f = await bookingFixture(t);
      const ghost = randomUUID();
      const eventsBefore = await countRows(t.db, 'scheduler.booking_events', 'biz_entity_id = $1', [f.bizEntityId]);
      const res = await adminBook(f.admin, { slotId: f.slotIds[0], userId: ghost });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('UNKNOWN_REFERENCE');
      expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1 OR slot_id = $2', [ghost, f.slotIds[0]])).toBe(0);
      expect(await countRows(t.db, 'scheduler.booking_events', 'biz_entity_id = $1', [f.bizEntityId])).toBe(eventsBefore);
      // The slot is still free for a real user.
      expect((await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id })).status).toBe(201);
    });

    it('answers 404 for a slot of another business and for an unknown slot', async () => {
      const f = await bookingFixture(t);
      const g = await bookingFixture(t);
      const foreign = await adminBook(f.admin, { slotId: g.slotIds[0], userId: f.user.id });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('NOT_FOUND');
      const unknown = await adminBook(f.admin, { slotId: randomUUID(), userId: f.user.id });
      expect(unknown.status).toBe(404);
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [g.slotIds[0]])).toBe(0);
      expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1', [f.user.id])).toBe(0);
    });

    it('refuses a slot that has already started (422 SLOT_IN_PAST) and a blocked slot (409)', async () => {
      const f = await bookingFixture(t);
      const [started] = await insertSlots(t, { ...f, count: 1, capacity: 1, startInMinutes: -30 });
      const past = await adminBook(f.admin, { slotId: started, userId: f.user.id });
      expect(past.status).toBe(422);
      expect(past.body.code).toBe('SLOT_IN_PAST');

      const blocked = await t.api.patch(`/v1/admin/slots/${f.slotIds[0]}`, { token: f.admin, body: { status: 'blocked' } });
      expect(blocked.status).toBe(200);
      const onBlocked = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id });
      expect(onBlocked.status).toBe(409);
      expect(onBlocked.body.code).toBe('SLOT_UNAVAILABLE');
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = ANY($1::uuid[])', [[started, f.slotIds[0]]])).toBe(0);
    });
  });

  describe('POST /v1/admin/bookings/{id}/cancel', () => {
    it('bypasses the cancel cutoff that stops the user with 422 TOO_LATE_TO_CANCEL', async () => {
      // The slot starts in 24 h; cancelling is allowed only up to 48 h before.
      const f = await bookingFixture(t, { policy: { cancelCutoffMinutes: 48 * 60 } });
      const op = await operatorOf(f);
      const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
      const id = held.body.id as string;
      expect((await t.api.post(`/v1/bookings/${id}/confirm`, { token: f.user.token, headers: key() })).status).toBe(200);

      const byUser = await t.api.post(`/v1/bookings/${id}/cancel`, { token: f.user.token, body: { reason: 'mine' }, headers: key() });
      expect(byUser.status).toBe(422);
      expect(byUser.body.code).toBe('TOO_LATE_TO_CANCEL');
      expect(await bookingRow(id)).toMatchObject({ status: 'confirmed', cancelled_at: null, cancel_reason: null });

      const byAdmin = await adminPost(op.token, `/${id}/cancel`, { reason: 'staff ill' });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({ id, status: 'cancelled', cancelReason: 'staff ill', cancelledAt: expect.any(String) });
      const row = await bookingRow(id);
      expect(row).toMatchObject({ status: 'cancelled', cancel_reason: 'staff ill' });
      expect(row.cancelled_at).toBeInstanceOf(Date);
      const events = await eventsOf(id);
      expect(events.map((e) => [e.actor_sub, e.from_status, e.to_status, e.reason])).toEqual([
        [f.user.id, null, 'held', null],
        [f.user.id, 'held', 'confirmed', null],
        [op.sub, 'confirmed', 'cancelled', 'staff ill'],
      ]);
      // The place is free again.
      const slots = await t.api.get(`/v1/admin/slots?locationId=${f.locationId}`, { token: f.admin });
      expect(slots.body.data.find((s: { id: string }) => s.id === f.slotIds[0])).toMatchObject({ booked: 0, remaining: 1 });
    });

    it('refuses to cancel a booking twice (409 INVALID_TRANSITION) and a booking of another business (404)', async () => {
      const f = await bookingFixture(t);
      const g = await bookingFixture(t);
      const booked = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id });
      expect((await adminPost(f.admin, `/${booked.body.id}/cancel`, {})).status).toBe(200);
      const twice = await adminPost(f.admin, `/${booked.body.id}/cancel`, { reason: 'again' });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('INVALID_TRANSITION');
      expect((await bookingRow(booked.body.id)).cancel_reason).toBeNull();

      const theirs = await adminBook(g.admin, { slotId: g.slotIds[0], userId: g.user.id });
      const foreign = await adminPost(f.admin, `/${theirs.body.id}/cancel`, {});
      expect(foreign.status).toBe(404);
      expect((await bookingRow(theirs.body.id)).status).toBe('confirmed');
    });
  });

  describe('POST /v1/admin/bookings/{id}/reschedule', () => {
    const slotCounts = async (f: BookingFixture): Promise<Record<string, number>> => {
      const res = await t.api.get(`/v1/admin/slots?locationId=${f.locationId}`, { token: f.admin });
      expect(res.status).toBe(200);
      return Object.fromEntries((res.body.data as { id: string; booked: number }[]).map((s) => [s.id, s.booked]));
    };

    it('moves a confirmed booking to another slot atomically, keeping its id and status', async () => {
      const f = await bookingFixture(t);
      const op = await operatorOf(f);
      const booked = await adminBook(op.token, { slotId: f.slotIds[0], userId: f.user.id });
      const id = booked.body.id as string;
      expect(await slotCounts(f)).toMatchObject({ [f.slotIds[0]]: 1, [f.slotIds[1]]: 0 });

      const moved = await adminPost(op.token, `/${id}/reschedule`, { slotId: f.slotIds[1] });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({
        id,
        slotId: f.slotIds[1],
        status: 'confirmed',
        startsAt: await startsAt(f.slotIds[1]),
        confirmedAt: booked.body.confirmedAt,
      });
      expect(await slotCounts(f)).toMatchObject({ [f.slotIds[0]]: 0, [f.slotIds[1]]: 1 });
      expect(await bookingRow(id)).toMatchObject({ slot_id: f.slotIds[1], status: 'confirmed', user_id: f.user.id });
      expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1', [f.user.id])).toBe(1);
      const events = await eventsOf(id);
      expect(events).toHaveLength(2);
      expect(events[1]).toEqual({
        actor_sub: op.sub,
        from_status: 'confirmed',
        to_status: 'confirmed',
        reason: 'rescheduled',
        details: { fromSlotId: f.slotIds[0], toSlotId: f.slotIds[1] },
      });
      // The freed slot can be booked by someone else now.
      const other = await newUser(t);
      expect((await adminBook(op.token, { slotId: f.slotIds[0], userId: other.id })).status).toBe(201);
    });

    it('into a full slot is 409 SLOT_UNAVAILABLE and changes nothing', async () => {
      const f = await bookingFixture(t, { capacity: 1 });
      const mine = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id });
      const other = await newUser(t);
      expect((await adminBook(f.admin, { slotId: f.slotIds[1], userId: other.id })).status).toBe(201);

      const res = await adminPost(f.admin, `/${mine.body.id}/reschedule`, { slotId: f.slotIds[1] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SLOT_UNAVAILABLE');
      expect(await bookingRow(mine.body.id)).toMatchObject({ slot_id: f.slotIds[0], status: 'confirmed' });
      expect(await slotCounts(f)).toMatchObject({ [f.slotIds[0]]: 1, [f.slotIds[1]]: 1 });
      expect((await eventsOf(mine.body.id)).map((e) => e.reason)).toEqual([null]);
    });

    it('into a blocked slot is 409 SLOT_UNAVAILABLE and changes nothing', async () => {
      const f = await bookingFixture(t, { capacity: 2 });
      const mine = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id });
      expect((await t.api.patch(`/v1/admin/slots/${f.slotIds[1]}`, { token: f.admin, body: { status: 'blocked' } })).status).toBe(200);

      const res = await adminPost(f.admin, `/${mine.body.id}/reschedule`, { slotId: f.slotIds[1] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SLOT_UNAVAILABLE');
      expect(await bookingRow(mine.body.id)).toMatchObject({ slot_id: f.slotIds[0], status: 'confirmed' });
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [f.slotIds[1]])).toBe(0);
    });

    it('of a cancelled booking is 409 INVALID_TRANSITION and changes nothing', async () => {
      const f = await bookingFixture(t);
      const mine = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id });
      expect((await adminPost(f.admin, `/${mine.body.id}/cancel`, { reason: 'x' })).status).toBe(200);

      const res = await adminPost(f.admin, `/${mine.body.id}/reschedule`, { slotId: f.slotIds[1] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect(await bookingRow(mine.body.id)).toMatchObject({ slot_id: f.slotIds[0], status: 'cancelled' });
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [f.slotIds[1]])).toBe(0);
      expect((await eventsOf(mine.body.id)).map((e) => e.to_status)).toEqual(['confirmed', 'cancelled']);
    });

    it('to a slot of another business is 404 and changes nothing', async () => {
      const f = await bookingFixture(t);
      const g = await bookingFixture(t);
      const mine = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id });
      const res = await adminPost(f.admin, `/${mine.body.id}/reschedule`, { slotId: g.slotIds[0] });
      expect(res.status).toBe(404);
      expect(await bookingRow(mine.body.id)).toMatchObject({ slot_id: f.slotIds[0], status: 'confirmed' });
      expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [g.slotIds[0]])).toBe(0);
    });
  });

  describe('complete and no-show', () => {
    it('close out confirmed bookings whose slot has started, with an event each', async () => {
      const f = await bookingFixture(t);
      const op = await operatorOf(f);
      const other = await newUser(t);
      const [started] = await insertSlots(t, { ...f, count: 1, capacity: 2, startInMinutes: -30 });
      const a = await insertBooking(started, f.user.id, 'confirmed');
      const b = await insertBooking(started, other.id, 'confirmed');

      const completed = await adminPost(op.token, `/${a}/complete`);
      expect(completed.status).toBe(200);
      expect(completed.body).toMatchObject({ id: a, status: 'completed' });
      const noShow = await adminPost(op.token, `/${b}/no-show`);
      expect(noShow.status).toBe(200);
      expect(noShow.body).toMatchObject({ id: b, status: 'no_show' });

      expect((await bookingRow(a)).status).toBe('completed');
      expect((await bookingRow(b)).status).toBe('no_show');
      expect(await eventsOf(a)).toEqual([{ actor_sub: op.sub, from_status: 'confirmed', to_status: 'completed', reason: null, details: {} }]);
      expect(await eventsOf(b)).toEqual([{ actor_sub: op.sub, from_status: 'confirmed', to_status: 'no_show', reason: null, details: {} }]);

      // Closed out is final: neither again, nor the other, nor cancel.
      for (const [id, path] of [
        [a, 'complete'],
        [a, 'no-show'],
        [b, 'complete'],
        [a, 'cancel'],
      ] as const) {
        const res = await adminPost(op.token, `/${id}/${path}`, path === 'cancel' ? {} : undefined);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('INVALID_TRANSITION');
      }
      expect((await bookingRow(a)).status).toBe('completed');
      expect((await bookingRow(b)).status).toBe('no_show');
    });

    it('are 409 INVALID_TRANSITION for a confirmed booking whose slot has not started', async () => {
      const f = await bookingFixture(t);
      const booked = await adminBook(f.admin, { slotId: f.slotIds[0], userId: f.user.id });
      for (const path of ['complete', 'no-show']) {
        const res = await adminPost(f.admin, `/${booked.body.id}/${path}`);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('INVALID_TRANSITION');
      }
      expect((await bookingRow(booked.body.id)).status).toBe('confirmed');
      expect(await eventsOf(booked.body.id)).toHaveLength(1);
    });

    it('are 409 INVALID_TRANSITION for a held or cancelled booking, even after its slot started', async () => {
      const f = await bookingFixture(t);
      const other = await newUser(t);
      const [started] = await insertSlots(t, { ...f, count: 1, capacity: 2, startInMinutes: -30 });
      const held = await insertBooking(started, f.user.id, 'held');
      const cancelled = await insertBooking(started, other.id, 'confirmed');
      await t.db.query(`UPDATE scheduler.bookings SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [cancelled]);
      for (const id of [held, cancelled]) {
        for (const path of ['complete', 'no-show']) {
          const res = await adminPost(f.admin, `/${id}/${path}`);
          expect(res.status).toBe(409);
          expect(res.body.code).toBe('INVALID_TRANSITION');
        }
      }
      expect((await bookingRow(held)).status).toBe('held');
      expect((await bookingRow(cancelled)).status).toBe('cancelled');
      expect(await countRows(t.db, 'scheduler.booking_events', 'booking_id = ANY($1::uuid[])', [[held, cancelled]])).toBe(0);
    });

    it('work on a booking made before its slot started, once the slot has begun', async () => {
      const f = await bookingFixture(t);
      const [soon] = await insertSlots(t, { ...f, count: 1, capacity: 1, startInMinutes: 60 });
      const booked = await adminBook(f.admin, { slotId: soon, userId: f.user.id });
      expect(booked.status).toBe(201);
      const early = await adminPost(f.admin, `/${booked.body.id}/complete`);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('INVALID_TRANSITION');
      // Time passes: the slot has begun a minute ago (moved in SQL rather than waited for).
      await t.db.query(
        `UPDATE scheduler.slot_instances
            SET starts_at = now() - interval '1 minute', ends_at = now() + interval '29 minutes',
                buffered_starts_at = now() - interval '1 minute', buffered_ends_at = now() + interval '29 minutes'
          WHERE id = $1`,
        [soon],
      );
      const done = await adminPost(f.admin, `/${booked.body.id}/complete`);
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('completed');
      expect((await bookingRow(booked.body.id)).status).toBe('completed');
      expect((await eventsOf(booked.body.id)).map((e) => e.to_status)).toEqual(['confirmed', 'completed']);
    });
  });

  describe('POST /v1/admin/bookings/bulk-cancel', () => {
    interface BulkScene {
      f: BookingFixture;
      op: { sub: string; token: string };
      otherPersonId: string;
      from: string;
      to: string;
      /** Live bookings of the first person in [from, to). */
      inRange: string[];
      /** Live booking of the other person in [from, to). */
      otherPerson: string;
      /** Left alone whatever the filter: before from, at to, already cancelled, an expired hold. */
      before: string;
      atTo: string;
      alreadyCancelled: string;
      expiredHold: string;
    }

    /** Person A: slots +24 h … +27 h; person B: +24 h, +25 h. The range is [A's +25 h, A's +27 h). */
    async function bulkScene(): Promise<BulkScene> {
      const f = await bookingFixture(t, { slots: 4, capacity: 3 });
      const op = await operatorOf(f);
      const person = await t.api.post('/v1/admin/people', { token: f.admin, body: { locationId: f.locationId, name: 'Other' } });
      const otherSlots = await insertSlots(t, { ...f, personId: person.body.id, count: 2, capacity: 3 });
      const [u2, u3] = [await newUser(t), await newUser(t)];
      const book = async (slotId: string, userId: string, status: 'held' | 'confirmed' = 'confirmed'): Promise<string> => {
        const res = await adminBook(f.admin, { slotId, userId, status });
        expect(res.status).toBe(201);
        return res.body.id;
      };
      const [a0, a1, a2, a3] = f.slotIds;
      const before = await book(a0, f.user.id);
      const inRange = [await book(a1, f.user.id), await book(a1, u2.id, 'held'), await book(a2, f.user.id)];
      const alreadyCancelled = await book(a2, u2.id);
      expect((await adminPost(f.admin, `/${alreadyCancelled}/cancel`, { reason: 'earlier' })).status).toBe(200);
      const expiredHold = await insertBooking(a2, u3.id, 'held', -60);
      const atTo = await book(a3, f.user.id);
      const otherPerson = await book(otherSlots[1], f.user.id);
      return {
        f,
        op,
        otherPersonId: person.body.id,
        from: await startsAt(a1),
        to: await startsAt(a3),
        inRange,
        otherPerson,
        before,
        atTo,
        alreadyCancelled,
        expiredHold,
      };
    }

    async function expectCancelledInBulk(s: BulkScene, ids: string[], reason: string): Promise<void> {
      for (const id of ids) {
        const row = await bookingRow(id);
        expect(row).toMatchObject({ status: 'cancelled', cancel_reason: reason });
        expect(row.cancelled_at).toBeInstanceOf(Date);
        const last = (await eventsOf(id)).at(-1);
        expect(last).toEqual({ actor_sub: s.op.sub, from_status: expect.stringMatching(/^(held|confirmed)$/), to_status: 'cancelled', reason, details: { bulk: true } });
      }
    }

    async function expectUntouched(ids: string[], reason: string): Promise<void> {
      for (const id of ids) {
        expect(await countRows(t.db, 'scheduler.booking_events', 'booking_id = $1 AND reason = $2', [id, reason])).toBe(0);
      }
    }

    it('cancels every live booking of the location whose slot starts in [from, to), and only those', async () => {
      const s = await bulkScene();
      const res = await bulkCancel(s.op.token, { locationId: s.f.locationId, from: s.from, to: s.to, reason: 'flood' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ cancelled: 4 });

      await expectCancelledInBulk(s, [...s.inRange, s.otherPerson], 'flood');
      // The hold was a hold when cancelled, the others confirmed.
      expect((await eventsOf(s.inRange[1])).at(-1)?.from_status).toBe('held');
      expect((await eventsOf(s.inRange[0])).at(-1)?.from_status).toBe('confirmed');

      await expectUntouched([s.before, s.atTo, s.alreadyCancelled, s.expiredHold], 'flood');
      expect((await bookingRow(s.before)).status).toBe('confirmed');
      expect((await bookingRow(s.atTo)).status).toBe('confirmed');
      expect(await bookingRow(s.alreadyCancelled)).toMatchObject({ status: 'cancelled', cancel_reason: 'earlier' });
      expect(await bookingRow(s.expiredHold)).toMatchObject({ status: 'held', cancel_reason: null });
    });

    it('with personIds cancels only those people\'s bookings', async () => {
      const s = await bulkScene();
      const res = await bulkCancel(s.op.token, {
        locationId: s.f.locationId,
        personIds: [s.f.personId],
        from: s.from,
        to: s.to,
        reason: 'training day',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ cancelled: 3 });
      await expectCancelledInBulk(s, s.inRange, 'training day');
      await expectUntouched([s.otherPerson, s.before, s.atTo, s.alreadyCancelled, s.expiredHold], 'training day');
      expect((await bookingRow(s.otherPerson)).status).toBe('confirmed');

      // Asking only about the other person now cancels just theirs.
      const second = await bulkCancel(s.op.token, {
        locationId: s.f.locationId,
        personIds: [s.otherPersonId],
        from: s.from,
        to: s.to,
        reason: 'later',
      });
      expect(second.body).toEqual({ cancelled: 1 });
      expect(await bookingRow(s.otherPerson)).toMatchObject({ status: 'cancelled', cancel_reason: 'later' });
      // A second run over the same range finds nothing live.
      const again = await bulkCancel(s.op.token, { locationId: s.f.locationId, from: s.from, to: s.to, reason: 'again' });
      expect(again.body).toEqual({ cancelled: 0 });
    });

    it('answers 400 when from is not before to, cancelling nothing', async () => {
      const s = await bulkScene();
      for (const [from, to] of [
        [s.from, s.from],
        [s.to, s.from],
      ]) {
        const res = await bulkCancel(s.op.token, { locationId: s.f.locationId, from, to, reason: 'oops' });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      for (const id of [...s.inRange, s.otherPerson]) expect(['held', 'confirmed']).toContain((await bookingRow(id)).status);
      expect(await countRows(t.db, 'scheduler.booking_events', 'biz_entity_id = $1 AND reason = $2', [s.f.bizEntityId, 'oops'])).toBe(0);
    });

    it('never touches another business: its location is 404 and its bookings stay', async () => {
      const f = await bookingFixture(t);
      const g = await bookingFixture(t);
      const theirs = await adminBook(g.admin, { slotId: g.slotIds[0], userId: g.user.id });
      const from = new Date(Date.now()).toISOString();
      const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const res = await bulkCancel(f.admin, { locationId: g.locationId, from, to, reason: 'not yours' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect((await bookingRow(theirs.body.id)).status).toBe('confirmed');
    });
  });
});
