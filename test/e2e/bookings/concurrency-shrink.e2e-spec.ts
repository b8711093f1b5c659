import { bookingFixture, key } from '../../factories/bookings';
import { startTestApp, TestApp, token } from '../../utils/test-app';

describe('shrinking a slot while holds arrive (two instances)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp({ DB_POOL_MAX: '10' }), startTestApp({ DB_POOL_MAX: '10' })]);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('never leaves a slot with more live bookings than its capacity', async () => {
    const f = await bookingFixture(a, { slots: 30, capacity: 6, policy: { maxActiveHoldsPerUser: 100 } });
    const users = (await a.db.query(
      `INSERT INTO public.auth_user (id) SELECT gen_random_uuid() FROM generate_series(1, 8) RETURNING id`,
    )) as { id: string }[];
    const tokens = await Promise.all(users.map((user) => token({ sub: user.id })));
    const requests: Promise<{ kind: string; status: number; code?: string }>[] = [];
    for (const slotId of f.slotIds) {
      tokens.forEach((userToken, i) => {
        const app = i % 2 ? a : b;
        requests.push(
          app.api
            .post('/v1/bookings', { token: userToken, body: { slotId }, headers: key() })
            .then((res) => ({ kind: 'hold', status: res.status, code: res.body.code })),
        );
        if (i === 3) {
          requests.push(
            app.api
              .patch(`/v1/admin/slots/${slotId}`, { token: f.admin, body: { capacity: 2 } })
              .then((res) => ({ kind: 'patch', status: res.status, code: res.body.code })),
          );
        }
      });
    }
    const outcomes = await Promise.all(requests);
    for (const outcome of outcomes) {
      const allowed = outcome.kind === 'hold' ? ['201', '409 SLOT_UNAVAILABLE'] : ['200', '409 HAS_LIVE_BOOKINGS'];
      expect(allowed).toContain(outcome.code ? `${outcome.status} ${outcome.code}` : String(outcome.status));
    }
    const overbooked = await a.db.query(
      `SELECT s.id FROM scheduler.slot_instances s JOIN scheduler.bookings b ON b.slot_id = s.id
        WHERE s.id = ANY($1::uuid[]) AND (b.status = 'confirmed' OR (b.status = 'held' AND b.hold_expires_at > now()))
        GROUP BY s.id, s.capacity HAVING count(b.id) > s.capacity`,
      [f.slotIds],
    );
    expect(overbooked).toEqual([]);
  });
});
