import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bookingFixture, key } from '../../factories/bookings';
import { fillTemplate, ROUTE_TABLE } from '../../utils/route-table';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/**
 * Idempotency-Key cannot be routed around (issue "Survive faults", item 3): Express matches paths
 * case-insensitively and with or without a trailing slash, so the policy comes from the route
 * Nest matched. Every write route of the contract is tried in the spellings below; each one
 * that reaches a handler must meet the key check.
 */
const SPELLINGS: Record<string, (path: string) => string> = {
  declared: (path) => path,
  'upper case': (path) => path.toUpperCase(),
  'capitalised prefix': (path) => path.replace(/^\/v1\//, '/V1/'),
  'trailing slash': (path) => `${path}/`,
  'doubled slash': (path) => path.replace(/^\/v1\//, '/v1//'),
  'encoded letter': (path) => path.replace(/^\/v1\/(.)/, (_, first: string) => `/v1/%${first.charCodeAt(0).toString(16)}`),
};

const WRITES = ROUTE_TABLE.filter((operation) => operation.method !== 'get');
const UNROUTED = 'No resource lives at this path.';
const TOO_LONG_KEY = 'k'.repeat(256);

describe('Idempotency-Key on every spelling of every write route', () => {
  let t: TestApp;
  let superadmin: string;
  let user: string;

  beforeAll(async () => {
    t = await startTestApp();
    superadmin = await token({ roles: ['superadmin'] });
    user = await token();
  });
  afterAll(() => t.close());

  it('covers the write routes of the contract', () => {
    expect(WRITES.length).toBeGreaterThan(15);
    expect(WRITES.filter((operation) => operation.keyRequired).map((operation) => operation.template)).toEqual(
      expect.arrayContaining(['/v1/bookings', '/v1/bookings/{id}/confirm', '/v1/bookings/{id}/cancel']),
    );
  });

  it.each(WRITES.map((operation) => [`${operation.method.toUpperCase()} ${operation.template}`, operation] as const))(
    '%s: every spelling that routes checks the key',
    async (_, operation) => {
      const path = fillTemplate(operation.template, () => randomUUID());
      const bearer = operation.admin ? superadmin : user;
      const routed: string[] = [];
      for (const [spelling, spell] of Object.entries(SPELLINGS)) {
        const send = () =>
          request(t.app.getHttpServer())
            [operation.method](spell(path))
            .set('Authorization', `Bearer ${bearer}`)
            .set('Content-Type', 'application/json');
        const malformed = await send().set('Idempotency-Key', TOO_LONG_KEY).send('{}');
        if (malformed.status === 404 && malformed.body.detail === UNROUTED) continue;
        routed.push(spelling);
        expect({ spelling, status: malformed.status, code: malformed.body.code }).toEqual({
          spelling,
          status: 400,
          code: 'IDEMPOTENCY_KEY_INVALID',
        });
        if (operation.keyRequired) {
          const missing = await send().send('{}');
          expect({ spelling, code: missing.body.code }).toEqual({ spelling, code: 'IDEMPOTENCY_KEY_REQUIRED' });
        }
      }
      // Express routes more than the declared spelling, so the test tries what it claims to.
      expect(routed).toEqual(expect.arrayContaining(['declared', 'upper case', 'trailing slash']));
    },
  );

  it('binds a key to the request, not to its spelling: another spelling of the same hold replays it', async () => {
    const f = await bookingFixture(t, { slots: 1 });
    const headers = key();
    const first = await request(t.app.getHttpServer())
      .post('/v1/bookings/')
      .set('Authorization', `Bearer ${f.user.token}`)
      .set(headers)
      .send({ slotId: f.slotIds[0] });
    expect(first.status).toBe(201);
    const again = await request(t.app.getHttpServer())
      .post('/V1/Bookings')
      .set('Authorization', `Bearer ${f.user.token}`)
      .set(headers)
      .send({ slotId: f.slotIds[0] });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const [row] = (await t.db.query(`SELECT path FROM scheduler.idempotency_keys WHERE key = $1`, [headers['Idempotency-Key']])) as {
      path: string;
    }[];
    expect(row.path).toBe('/v1/bookings');
  });

  it('still treats the same key on another resource as a reuse', async () => {
    const f = await bookingFixture(t, { slots: 2 });
    const headers = key();
    const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    const other = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[1] }, headers: key() });
    expect((await t.api.post(`/v1/bookings/${held.body.id}/confirm`, { token: f.user.token, headers })).status).toBe(200);
    const reused = await t.api.post(`/v1/bookings/${other.body.id}/confirm`, { token: f.user.token, headers });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
