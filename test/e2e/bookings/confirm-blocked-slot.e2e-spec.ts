import { Client } from 'pg';
import { bookingFixture, key } from '../../factories/bookings';
import { startTestApp, TestApp } from '../../utils/test-app';

/**
 * A hold cannot be confirmed into a slot an admin blocked after it was held (issue "Survive
 * faults", item 5): blocking leaves holds in place, and confirm checks that the slot is open
 * under the slot's row lock.
 */
describe('POST /v1/bookings/{id}/confirm on a slot blocked after the hold', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function heldBooking() {
    const f = await bookingFixture(t, { slots: 1 });
    const hold = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    expect(hold.status).toBe(201);
    return { f, bookingId: hold.body.id as string };
  }

  it('is 409 SLOT_UNAVAILABLE; the hold stays, and confirms once the slot reopens', async () => {
    const { f, bookingId } = await heldBooking();
    const blocked = await t.api.patch(`/v1/admin/slots/${f.slotIds[0]}`, { token: f.admin, body: { status: 'blocked' } });
    expect(blocked.body).toMatchObject({ status: 'blocked', booked: 1 });
    expect((await t.api.get(`/v1/bookings/${bookingId}`, { token: f.user.token })).body.status).toBe('held');

    const refused = await t.api.post(`/v1/bookings/${bookingId}/confirm`, { token: f.user.token, headers: key() });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SLOT_UNAVAILABLE', detail: 'The slot is blocked; the hold can no longer be confirmed.' });
    const [row] = (await t.db.query('SELECT status, confirmed_at FROM scheduler.bookings WHERE id = $1', [bookingId])) as {
      status: string;
      confirmed_at: Date | null;
    }[];
    expect(row).toEqual({ status: 'held', confirmed_at: null });

    await t.api.patch(`/v1/admin/slots/${f.slotIds[0]}`, { token: f.admin, body: { status: 'open' } });
    const confirmed = await t.api.post(`/v1/bookings/${bookingId}/confirm`, { token: f.user.token, headers: key() });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
  });

  it('waits for a block in progress on the slot and then refuses', async () => {
    const { f, bookingId } = await heldBooking();
    const admin = new Client({ connectionString: process.env.SCHEDULER_TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query(`UPDATE scheduler.slot_instances SET status = 'blocked' WHERE id = $1`, [f.slotIds[0]]);
      const confirm = t.api.post(`/v1/bookings/${bookingId}/confirm`, { token: f.user.token, headers: key() });
      // The confirm is now queued on the slot's row lock; the block commits first.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await admin.query('COMMIT');
      const answer = await confirm;
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('SLOT_UNAVAILABLE');
    } finally {
      await admin.end();
    }
  });
});
