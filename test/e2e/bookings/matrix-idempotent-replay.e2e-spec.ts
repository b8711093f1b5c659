import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { countRows } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';
import { snapshot } from './matrix-helpers';
import { expectProblem } from '../../utils/problem';

/**
 * Idempotent holds (API.md §Idempotency): the same key and the same request replay the recorded
 * response byte for byte with `Idempotent-Replayed: true`, writing nothing more; the same key
 * with another request is 422 IDEMPOTENCY_KEY_REUSED.
 */
describe('POST /v1/bookings: idempotent replay of a hold', () => {
  let t: TestApp;
  let f: BookingFixture;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    f = await bookingFixture(t, { capacity: 2 });
  });

  const hold = (idempotencyKey: string, body: unknown, userToken = f.user.token): Promise<Response> =>
    t.api.post('/v1/bookings', { token: userToken, body, headers: { 'Idempotency-Key': idempotencyKey } });
  const holdRaw = (idempotencyKey: string, rawBody: string): Promise<Response> =>
    t.api.post('/v1/bookings', { token: f.user.token, rawBody, headers: { 'Idempotency-Key': idempotencyKey } });
  const bookingsOf = (userId: string): Promise<number> => countRows(t.db, 'scheduler.bookings', 'user_id = $1', [userId]);
  const eventsOfBusiness = (): Promise<number> => countRows(t.db, 'scheduler.booking_events', 'biz_entity_id = $1', [f.bizEntityId]);

  /** Status, body bytes and the headers a replay must keep. */
  const wire = (res: Response) => ({
    status: res.status,
    text: res.text,
    contentType: res.headers['content-type'],
  });

  it('replays the recorded 201 byte for byte with Idempotent-Replayed: true, and still one booking', async () => {
    const k = randomUUID();
    const first = await hold(k, { slotId: f.slotIds[0], notes: 'window seat' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const eventsAfterFirst = await eventsOfBusiness();

    const second = await hold(k, { slotId: f.slotIds[0], notes: 'window seat' });
    expect(wire(second)).toEqual(wire(first));
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toMatchObject({ slotId: f.slotIds[0], userId: f.user.id, status: 'held', notes: 'window seat' });

    expect(await bookingsOf(f.user.id)).toBe(1);
    expect(await eventsOfBusiness()).toBe(eventsAfterFirst);
    expect(await countRows(t.db, 'scheduler.idempotency_keys', 'principal_sub = $1 AND key = $2', [f.user.id, k])).toBe(1);
  });

  it('replays a third time too, and a body with other key order and whitespace is the same request', async () => {
    const k = randomUUID();
    const first = await holdRaw(k, `{"slotId":"${f.slotIds[0]}","notes":"x"}`);
    expect(first.status).toBe(201);
    const reordered = await holdRaw(k, `{ "notes" : "x",\n  "slotId": "${f.slotIds[0]}" }`);
    const again = await hold(k, { slotId: f.slotIds[0], notes: 'x' });
    for (const replay of [reordered, again]) {
      expect(wire(replay)).toEqual(wire(first));
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    expect(await bookingsOf(f.user.id)).toBe(1);
  });

  it('replays what was recorded, not the booking as it is now', async () => {
    const k = randomUUID();
    const first = await hold(k, { slotId: f.slotIds[0] });
    expect(first.status).toBe(201);
    const confirmed = await t.api.post(`/v1/bookings/${first.body.id}/confirm`, { token: f.user.token, headers: key() });
    expect(confirmed.body.status).toBe('confirmed');

    const replay = await hold(k, { slotId: f.slotIds[0] });
    expect(wire(replay)).toEqual(wire(first));
    expect(replay.body.status).toBe('held');
    expect(await bookingsOf(f.user.id)).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another slotId, and holds nothing more', async () => {
    const k = randomUUID();
    expect((await hold(k, { slotId: f.slotIds[0] })).status).toBe(201);
    const before = await snapshot(t, [f.bizEntityId], [f.user.id]);

    const reused = await hold(k, { slotId: f.slotIds[1] });
    expectProblem(reused, 'IDEMPOTENCY_KEY_REUSED');
    expect(reused.headers['idempotent-replayed']).toBeUndefined();

    expect(await snapshot(t, [f.bizEntityId], [f.user.id])).toEqual(before);
    expect(await countRows(t.db, 'scheduler.bookings', 'slot_id = $1', [f.slotIds[1]])).toBe(0);
  });

  it.each([
    ['notes added', (slotId: string) => ({ slotId, notes: 'changed my mind' })],
    ['empty notes added', (slotId: string) => ({ slotId, notes: '' })],
  ])('answers 422 IDEMPOTENCY_KEY_REUSED for the same slot with %s', async (_what, body) => {
    const k = randomUUID();
    expect((await hold(k, { slotId: f.slotIds[0] })).status).toBe(201);
    const before = await snapshot(t, [f.bizEntityId], [f.user.id]);
    expectProblem(await hold(k, body(f.slotIds[0])), 'IDEMPOTENCY_KEY_REUSED');
    expect(await snapshot(t, [f.bizEntityId], [f.user.id])).toEqual(before);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the hold\'s key on another path (confirm), leaving the hold held', async () => {
    const k = randomUUID();
    const held = await hold(k, { slotId: f.slotIds[0] });
    const confirm = await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: f.user.token, headers: { 'Idempotency-Key': k } });
    expectProblem(confirm, 'IDEMPOTENCY_KEY_REUSED');
    const [row] = (await t.db.query('SELECT status FROM scheduler.bookings WHERE id = $1', [held.body.id])) as { status: string }[];
    expect(row.status).toBe('held');
  });

  it('keeps keys per caller: another user\'s hold with the same key and body is its own booking', async () => {
    const k = randomUUID();
    const other = await newUser(t);
    const mine = await hold(k, { slotId: f.slotIds[0] });
    const theirs = await hold(k, { slotId: f.slotIds[0] }, other.token);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.userId).toBe(other.id);
    expect(await bookingsOf(f.user.id)).toBe(1);
    expect(await bookingsOf(other.id)).toBe(1);
  });

  it('replays a recorded business error (409) byte for byte, even once the slot has room again', async () => {
    const full = await bookingFixture(t, { capacity: 1 });
    const other = await newUser(t);
    const taken = await t.api.post('/v1/bookings', { token: other.token, body: { slotId: full.slotIds[0] }, headers: key() });
    expect(taken.status).toBe(201);

    const k = randomUUID();
    const refused = await hold(k, { slotId: full.slotIds[0] });
    expectProblem(refused, 'SLOT_UNAVAILABLE');
    // The slot frees up; the key still answers what it answered.
    expect((await t.api.post(`/v1/bookings/${taken.body.id}/cancel`, { token: other.token, headers: key() })).status).toBe(200);

    const replay = await hold(k, { slotId: full.slotIds[0] });
    expect(wire(replay)).toEqual(wire(refused));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await countRows(t.db, 'scheduler.bookings', 'user_id = $1', [f.user.id])).toBe(0);
  });

  it('does not record a 400: the key may be retried with a corrected body', async () => {
    const k = randomUUID();
    const bad = await hold(k, { slotId: f.slotIds[0], notes: 5 });
    expectProblem(bad, 'VALIDATION_FAILED');
    const fixed = await hold(k, { slotId: f.slotIds[0] });
    expect(fixed.status).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    expect(await bookingsOf(f.user.id)).toBe(1);
  });
});
