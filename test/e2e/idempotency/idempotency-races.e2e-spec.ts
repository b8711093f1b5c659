import { Client } from 'pg';
import { bookingFixture } from '../../factories/bookings';
import { requestFingerprint } from '../../../src/idempotency/fingerprint';
import { startTestApp, TestApp } from '../../utils/test-app';

/**
 * The key's try-lock and its record are read in one statement, so a duplicate can commit between
 * that statement's snapshot and the lock. Such a request must find out when it records, drop its
 * own outcome (rolling back what it wrote) and answer the one that stands. Staged here by writing
 * the standing record while the request waits on a row lock.
 */
describe('Idempotency-Key when a duplicate finishes first', () => {
  let t: TestApp;
  let blocker: Client;

  beforeAll(async () => {
    t = await startTestApp();
    blocker = new Client({ connectionString: process.env.SCHEDULER_TEST_DATABASE_URL });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker.end();
    await t.close();
  });

  it('answers the recorded outcome, marked replayed, and keeps none of its own writes', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const body = { slotId: f.slotIds[0] };
    const key = 'raced-key';
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM scheduler.slot_instances WHERE id = $1 FOR UPDATE', [f.slotIds[0]]);
    const hold = t.api.post('/v1/bookings', { token: f.user.token, body, headers: { 'Idempotency-Key': key } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The duplicate's outcome, committed while ours is in flight.
    const standing = {
      type: 'urn:problem-type:scheduler:slot-unavailable',
      title: 'The slot is not available.',
      status: 409,
      detail: 'Recorded by the first request of this key.',
      code: 'SLOT_UNAVAILABLE',
    };
    await t.db.query(
      `INSERT INTO scheduler.idempotency_keys
         (principal_sub, key, method, path, fingerprint, response_status, response_headers, response_body, expires_at)
       VALUES ($1, $2, 'POST', '/v1/bookings', $3, 409, '{}', $4, now() + interval '1 hour')`,
      [f.user.id, key, requestFingerprint(body), JSON.stringify(standing)],
    );
    await blocker.query('ROLLBACK');

    const answer = await hold;
    expect(answer.status).toBe(409);
    expect(answer.headers['idempotent-replayed']).toBe('true');
    expect(answer.body).toEqual(standing);
    expect(await t.db.query('SELECT id FROM scheduler.bookings WHERE slot_id = $1', [f.slotIds[0]])).toEqual([]);
  });
});
