import { createBusiness, createUser, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

const DAY_MS = 86_400_000;

/** Placeholders filled in once the fixture exists: {loc}, {person}, {exposure}, {slot}, {now}, {+1d}, {+100d}. */
type Row = [name: string, as: 'user' | 'admin', path: string, field: string];

describe('exposure endpoints: bad input is 400 VALIDATION_FAILED, never a 500', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let user: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    const biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
    const location = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz) });
    expect(location.status).toBe(201);
    const person = await t.api.post('/v1/admin/people', { token: admin, body: { locationId: location.body.id, name: 'Ana' } });
    expect(person.status).toBe(201);
    const userId = await createUser(t.db);
    user = await token({ sub: userId });
    // An exposure (empty: no slots were generated), so the admin paths name a real one.
    const exposure = await t.api.get(`/v1/locations/${location.body.id}/slots`, { token: user });
    expect(exposure.status).toBe(200);
    Object.assign(ids, {
      loc: location.body.id,
      person: person.body.id,
      exposure: exposure.body.exposureId,
      slot: '00000000-0000-4000-8000-000000000001',
    });
  });
  afterAll(() => t.close());

  /** Instants relative to the time of the request, as the server will read them. */
  function fill(path: string): string {
    const now = Date.now();
    return path
      .replace(/\{(loc|person|exposure|slot)\}/g, (_, key: string) => ids[key])
      .replace(/\{now\}/g, new Date(now).toISOString())
      .replace(/\{\+1d\}/g, new Date(now + DAY_MS).toISOString())
      .replace(/\{\+2d\}/g, new Date(now + 2 * DAY_MS).toISOString())
      .replace(/\{\+100d\}/g, new Date(now + 100 * DAY_MS).toISOString());
  }

  const slotRoutes = ['/v1/locations/{loc}/slots', '/v1/people/{person}/slots'];
  const rows: Row[] = [
    // Path parameters that are not UUIDs.
    ['location id not a UUID', 'user', '/v1/locations/not-a-uuid/slots', 'locationId'],
    ['location id a number', 'user', '/v1/locations/123/slots', 'locationId'],
    ['location id a UUID with junk', 'user', '/v1/locations/{loc}x/slots', 'locationId'],
    ['person id not a UUID', 'user', '/v1/people/nobody/slots', 'personId'],
    ['person id truncated', 'user', '/v1/people/00000000-0000-4000-8000-00000000000/slots', 'personId'],
    ['exposure id not a UUID', 'admin', '/v1/admin/exposures/nope', 'id'],
    ['exposure id not a UUID (explain)', 'admin', '/v1/admin/exposures/nope/explain?slotId={slot}', 'id'],
    ['exposure id with a quote', 'admin', "/v1/admin/exposures/'%20OR%201=1/explain?slotId={slot}", 'id'],
    // from/to that are not ISO instants with Z, on both public slot routes.
    ...slotRoutes.flatMap((route): Row[] => [
      [`${route}: from a date`, 'user', `${route}?from=2030-03-08`, 'from'],
      [`${route}: from without Z`, 'user', `${route}?from=2030-03-08T14:00:00`, 'from'],
      [`${route}: from with an offset`, 'user', `${route}?from=2030-03-08T14:00:00%2B01:00`, 'from'],
      [`${route}: from a word`, 'user', `${route}?from=tomorrow`, 'from'],
      [`${route}: from epoch millis`, 'user', `${route}?from=1900000000000`, 'from'],
      [`${route}: from an impossible date`, 'user', `${route}?from=2030-02-30T10:00:00Z`, 'from'],
      [`${route}: from empty`, 'user', `${route}?from=`, 'from'],
      [`${route}: to without Z`, 'user', `${route}?to=2030-03-08T14:00`, 'to'],
      [`${route}: to lower-case z`, 'user', `${route}?to=2030-03-08T14:00:00z`, 'to'],
      [`${route}: to hour 24`, 'user', `${route}?to=2030-03-08T24:00:00Z`, 'to'],
      [`${route}: from repeated`, 'user', `${route}?from={now}&from={+1d}`, 'from'],
      // A window that ends before or where it starts, or is longer than the horizon (90 days).
      [`${route}: to equal to from`, 'user', `${route}?from={+1d}&to={+1d}`, 'to'],
      [`${route}: to before from`, 'user', `${route}?from={+2d}&to={+1d}`, 'to'],
      [`${route}: to before the default from (now)`, 'user', `${route}?to=2020-01-01T00:00:00Z`, 'to'],
      [`${route}: window longer than the horizon`, 'user', `${route}?from={now}&to={+100d}`, 'to'],
      [`${route}: from years before to`, 'user', `${route}?from=2020-01-01T00:00:00Z&to={+1d}`, 'to'],
      [`${route}: from so late the default to passes 9999`, 'user', `${route}?from=9999-12-31T00:00:00.000Z`, 'from'],
      // Unknown query parameters.
      [`${route}: limit is not a parameter here`, 'user', `${route}?limit=5`, 'limit'],
    ]),
    // Explain without a slot id, or with a bad one; unknown parameters.
    ['explain without slotId', 'admin', '/v1/admin/exposures/{exposure}/explain', 'slotId'],
    ['explain with an empty slotId', 'admin', '/v1/admin/exposures/{exposure}/explain?slotId=', 'slotId'],
    ['explain with a bad slotId', 'admin', '/v1/admin/exposures/{exposure}/explain?slotId=not-a-uuid', 'slotId'],
    ['explain with two slotIds', 'admin', '/v1/admin/exposures/{exposure}/explain?slotId={slot}&slotId={slot}', 'slotId'],
    ['explain with an unknown parameter', 'admin', '/v1/admin/exposures/{exposure}/explain?slotId={slot}&verbose=1', 'verbose'],
    // The admin list: page size 1–200, filters are UUIDs, cursors are the API's own.
    ['list limit 0', 'admin', '/v1/admin/exposures?limit=0', 'limit'],
    ['list limit 201', 'admin', '/v1/admin/exposures?limit=201', 'limit'],
    ['list limit negative', 'admin', '/v1/admin/exposures?limit=-1', 'limit'],
    ['list limit a fraction', 'admin', '/v1/admin/exposures?limit=1.5', 'limit'],
    ['list limit a word', 'admin', '/v1/admin/exposures?limit=ten', 'limit'],
    ['list limit hexadecimal', 'admin', '/v1/admin/exposures?limit=0x10', 'limit'],
    ['list userId not a UUID', 'admin', '/v1/admin/exposures?userId=me', 'userId'],
    ['list locationId not a UUID', 'admin', '/v1/admin/exposures?locationId=1', 'locationId'],
    ['list personId not a UUID', 'admin', '/v1/admin/exposures?personId=x', 'personId'],
    ['list cursor not ours', 'admin', '/v1/admin/exposures?cursor=abc', 'cursor'],
    ['list unknown parameter', 'admin', '/v1/admin/exposures?scope=location', 'scope'],
  ];

  it.each(rows.map(([name, as, path, field]) => [name, field, as, path] as const))(
    '%s → 400, errors[].field %s',
    async (_name, field, as, path) => {
      const res = await t.api.get(fill(path), { token: as === 'admin' ? admin : user });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', type: 'urn:problem-type:scheduler:validation-failed' });
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      for (const error of res.body.errors as { field: string; message: string }[]) {
        expect(typeof error.message).toBe('string');
        expect(error.message.length).toBeGreaterThan(0);
      }
    },
  );

  it.each([
    ['location, from and to at the horizon exactly', '/v1/locations/{loc}/slots?from={now}&to=HORIZON'],
    ['person, from and to at the horizon exactly', '/v1/people/{person}/slots?from={now}&to=HORIZON'],
    ['the admin list at limit 1', '/v1/admin/exposures?limit=1'],
    ['the admin list at limit 200', '/v1/admin/exposures?limit=200'],
    ['explain with an upper-case slot id', '/v1/admin/exposures/{exposure}/explain?slotId=00000000-0000-4000-8000-00000000000A'],
  ])('accepts the edge of each range: %s', async (_name, path) => {
    const from = new Date(Date.now() + 60_000);
    const filled = fill(path)
      .replace(/from=[^&]+/, `from=${from.toISOString()}`)
      .replace('HORIZON', new Date(from.getTime() + 90 * DAY_MS).toISOString());
    const res = await t.api.get(filled, { token: filled.startsWith('/v1/admin') ? admin : user });
    expect(res.status).toBe(200);
  });
});
