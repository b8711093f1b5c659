import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { createLocation, LocationJson, LocationPolicyJson } from '../../factories/catalogue';
import { ADMIN_LOCATIONS, DEFAULT_POLICY, PUBLIC_LOCATIONS, readLocationRow, UNKNOWN_ID } from './location-helpers';
import { FieldError, expectValidationFields, expectValidationProblem } from '../../utils/problem';

/*
 * Every locations endpoint against malformed input. Each bad case must answer 400
 * VALIDATION_FAILED with an `errors` array naming the field (never a 500; the contract client
 * also fails any undocumented status) and must leave the database as it was.
 */

interface BodyCase {
  label: string;
  body: Record<string, unknown>;
  errors: FieldError[];
}

const IANA = 'must be an IANA time zone such as Europe/London';
const TOO_LONG = 'must be shorter than or equal to 200 characters';

const unknownProperty = (field: string): FieldError => ({
  field,
  message: `property ${field.split('.').pop()} should not exist`,
});
const bodyCase = (label: string, body: Record<string, unknown>, field: string, message: string): BodyCase => ({
  label,
  body,
  errors: [{ field, message }],
});

/** Bad in a create body and in an update body alike. */
const SHARED_CASES: BodyCase[] = [
  { label: 'unknown top-level property', body: { colour: 'blue' }, errors: [unknownProperty('colour')] },
  { label: 'unknown property inside policy', body: { policy: { colour: 'blue' } }, errors: [unknownProperty('policy.colour')] },
  {
    label: 'unknown property inside policy.exposure',
    body: { policy: { exposure: { total: 4 } } },
    errors: [unknownProperty('policy.exposure.total')],
  },
  {
    label: 'a policy column name instead of the API name',
    body: { policy: { hold_ttl_seconds: 60 } },
    errors: [unknownProperty('policy.hold_ttl_seconds')],
  },
  { label: 'id in the body', body: { id: UNKNOWN_ID }, errors: [unknownProperty('id')] },
  { label: 'createdAt in the body', body: { createdAt: '2026-01-01T00:00:00.000Z' }, errors: [unknownProperty('createdAt')] },
  { label: 'updatedAt in the body', body: { updatedAt: '2026-01-01T00:00:00.000Z' }, errors: [unknownProperty('updatedAt')] },

  bodyCase('name: 123', { name: 123 }, 'name', 'must be a string'),
  bodyCase('name: null', { name: null }, 'name', 'must be a string'),
  bodyCase('name: true', { name: true }, 'name', 'must be a string'),
  bodyCase('name: ["Harbour"]', { name: ['Harbour'] }, 'name', 'must be a string'),
  bodyCase('name: {}', { name: {} }, 'name', 'must be a string'),
  bodyCase('name: ""', { name: '' }, 'name', 'should not be empty'),
  bodyCase('name of whitespace only', { name: ' \t\n ' }, 'name', 'should not be empty'),
  bodyCase('name of 201 characters', { name: 'n'.repeat(201) }, 'name', TOO_LONG),
  bodyCase('name of 10,000 characters', { name: 'n'.repeat(10_000) }, 'name', TOO_LONG),
  bodyCase('name of 201 emoji', { name: '🏥'.repeat(201) }, 'name', TOO_LONG),
  bodyCase('name of 150 characters with variation selectors (300 code points)', { name: 'a\uFE0F'.repeat(150) }, 'name', TOO_LONG),
  bodyCase('name with a NUL character', { name: 'Har\u0000bour' }, 'name', 'must not contain NUL characters'),

  bodyCase('timezone: 5', { timezone: 5 }, 'timezone', IANA),
  bodyCase('timezone: null', { timezone: null }, 'timezone', IANA),
  bodyCase('timezone: ["Europe/London"]', { timezone: ['Europe/London'] }, 'timezone', IANA),
  bodyCase('timezone: ""', { timezone: '' }, 'timezone', IANA),
  bodyCase('timezone: "Mars/Olympus"', { timezone: 'Mars/Olympus' }, 'timezone', IANA),
  bodyCase('timezone: "+04:00"', { timezone: '+04:00' }, 'timezone', IANA),
  bodyCase('timezone: "UTC+4"', { timezone: 'UTC+4' }, 'timezone', IANA),
  bodyCase('timezone: "GMT+04:00"', { timezone: 'GMT+04:00' }, 'timezone', IANA),
  bodyCase('timezone with a trailing space', { timezone: 'Europe/London ' }, 'timezone', IANA),
  bodyCase('timezone with a path traversal', { timezone: 'Europe/../London' }, 'timezone', IANA),
  bodyCase('timezone of 1,000 characters', { timezone: `Europe/${'x'.repeat(993)}` }, 'timezone', IANA),

  bodyCase('policy: "x"', { policy: 'x' }, 'policy', 'must be an object'),
  bodyCase('policy: null', { policy: null }, 'policy', 'must be an object'),
  bodyCase('policy: []', { policy: [] }, 'policy', 'must be an object'),
  bodyCase('policy: 5', { policy: 5 }, 'policy', 'must be an object'),
  bodyCase('policy: true', { policy: true }, 'policy', 'must be an object'),
  bodyCase('policy.exposure: "x"', { policy: { exposure: 'x' } }, 'policy.exposure', 'must be an object'),
  bodyCase('policy.exposure: null', { policy: { exposure: null } }, 'policy.exposure', 'must be an object'),
  bodyCase('policy.exposure: []', { policy: { exposure: [] } }, 'policy.exposure', 'must be an object'),
  bodyCase('policy.exposure: 3', { policy: { exposure: 3 } }, 'policy.exposure', 'must be an object'),
  bodyCase('policy.requireExposure: "yes"', { policy: { requireExposure: 'yes' } }, 'policy.requireExposure', 'must be a boolean value'),
  bodyCase('policy.requireExposure: "true"', { policy: { requireExposure: 'true' } }, 'policy.requireExposure', 'must be a boolean value'),
  bodyCase('policy.requireExposure: 1', { policy: { requireExposure: 1 } }, 'policy.requireExposure', 'must be a boolean value'),
  bodyCase('policy.requireExposure: null', { policy: { requireExposure: null } }, 'policy.requireExposure', 'must be a boolean value'),
];

/** The numeric policy fields and their documented ranges (API.md §Resources → Location). */
const NUMERIC_FIELDS: { path: string; min: number; max: number }[] = [
  { path: 'holdTtlSeconds', min: 1, max: 86_400 },
  { path: 'maxActiveHoldsPerUser', min: 1, max: 100 },
  { path: 'minNoticeMinutes', min: 0, max: 525_600 },
  { path: 'bookingHorizonDays', min: 1, max: 730 },
  { path: 'cancelCutoffMinutes', min: 0, max: 525_600 },
  { path: 'exposure.personMin', min: 1, max: 20 },
  { path: 'exposure.personMax', min: 1, max: 20 },
  { path: 'exposure.locationMin', min: 1, max: 20 },
  { path: 'exposure.locationMax', min: 1, max: 20 },
];

/** `{ holdTtlSeconds: v }` or `{ exposure: { personMin: v } }`. */
function policyWith(path: string, value: unknown): Record<string, unknown> {
  const [head, tail] = path.split('.');
  return tail ? { [head]: { [tail]: value } } : { [head]: value };
}

const NOT_INT = 'must be an integer number';
const NUMERIC_CASES: BodyCase[] = NUMERIC_FIELDS.flatMap(({ path, min, max }) => {
  const field = `policy.${path}`;
  const less = `must not be less than ${min}`;
  const greater = `must not be greater than ${max}`;
  const values: [string, unknown, string][] = [
    [`${min - 1} (just below the minimum)`, min - 1, less],
    [`${max + 1} (just above the maximum)`, max + 1, greater],
    ...(min - 1 !== -1 ? ([['-1', -1, less]] as [string, unknown, string][]) : []),
    ['-2147483649', -2_147_483_649, less],
    ['2147483648', 2_147_483_648, greater],
    ['1e12', 1e12, greater],
    ['1.5', 1.5, NOT_INT],
    [`${max} - 0.5`, max - 0.5, NOT_INT],
    [`"${max}" (a string)`, String(max), NOT_INT],
    ['null', null, NOT_INT],
    ['true', true, NOT_INT],
    ['[1]', [1], NOT_INT],
    ['{}', {}, NOT_INT],
  ];
  return values.map(([label, value, message]) => bodyCase(`${field}: ${label}`, { policy: policyWith(path, value) }, field, message));
});

/**
 * The documented bounds themselves are accepted. An exposure bound needs its partner moved
 * along (min ≤ max), so the case says which policy it sends and which it expects.
 */
const ACCEPTED_BOUNDS = NUMERIC_FIELDS.flatMap(({ path, min, max }) =>
  [min, max].map((value) => {
    const [head, tail] = path.split('.');
    const exposure: Record<string, number> = {};
    if (tail) {
      exposure[tail] = value;
      const defaults = DEFAULT_POLICY.exposure as Record<string, number>;
      const partner = tail.endsWith('Min') ? tail.replace(/Min$/, 'Max') : tail.replace(/Max$/, 'Min');
      const needsPartner = tail.endsWith('Min') ? value > defaults[partner] : value < defaults[partner];
      if (needsPartner) exposure[partner] = value;
    }
    const policy = tail ? { exposure } : { [head]: value };
    const expected: LocationPolicyJson = tail
      ? { ...DEFAULT_POLICY, exposure: { ...DEFAULT_POLICY.exposure, ...exposure } }
      : { ...DEFAULT_POLICY, exposure: { ...DEFAULT_POLICY.exposure }, [head]: value };
    return { label: `policy.${path}: ${value}`, policy, expected };
  }),
);

const BAD_IDS: string[] = [
  'not-a-uuid',
  '123',
  '00000000-0000-4000-8000-00000000000',
  '00000000-0000-4000-8000-0000000000000',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '00000000000040008000000000000000',
  '{00000000-0000-4000-8000-000000000000}',
  "1' OR '1'='1",
  ' ',
];

describe('locations: bad input', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;

  const locationsOf = (bizEntityId: string): Promise<number> =>
    countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [bizEntityId]);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
  });

  describe('POST /v1/admin/locations', () => {
    const post = (body: unknown) => t.api.post(ADMIN_LOCATIONS, { token: admin, body });
    const MISSING = [
      { field: 'bizEntityId', message: 'is required' },
      { field: 'name', message: 'is required' },
      { field: 'timezone', message: 'is required' },
    ];

    afterEach(async () => {
      // Whatever a case sent, this business must still have no location.
      expect(await locationsOf(biz)).toBe(0);
    });

    it.each(SHARED_CASES)('400 for $label', async ({ body, errors }) => {
      expectValidationProblem(await post({ ...locationBody(biz), ...body }), errors);
    });

    it.each(NUMERIC_CASES)('400 for $label', async ({ body, errors }) => {
      expectValidationProblem(await post({ ...locationBody(biz), ...body }), errors);
    });

    it.each([
      bodyCase('active: true (not a create field)', { active: true }, 'active', 'property active should not exist'),
      bodyCase('active: "true"', { active: 'true' }, 'active', 'property active should not exist'),
      bodyCase('bizEntityId: "not-a-uuid"', { bizEntityId: 'not-a-uuid' }, 'bizEntityId', 'must be a UUID'),
      bodyCase('bizEntityId: 123', { bizEntityId: 123 }, 'bizEntityId', 'must be a UUID'),
      bodyCase('bizEntityId: ""', { bizEntityId: '' }, 'bizEntityId', 'must be a UUID'),
      bodyCase('bizEntityId: null', { bizEntityId: null }, 'bizEntityId', 'must be a UUID'),
      bodyCase('bizEntityId without dashes', { bizEntityId: UNKNOWN_ID.replace(/-/g, '') }, 'bizEntityId', 'must be a UUID'),
      bodyCase('bizEntityId one character too long', { bizEntityId: `${UNKNOWN_ID}0` }, 'bizEntityId', 'must be a UUID'),
      bodyCase('bizEntityId as an array', { bizEntityId: [UNKNOWN_ID] }, 'bizEntityId', 'must be a UUID'),
    ])('400 for $label', async ({ body, errors }) => {
      expectValidationProblem(await post({ ...locationBody(biz), ...body }), errors);
    });

    it.each(['bizEntityId', 'name', 'timezone'])('400 when %s is missing', async (field) => {
      const body = locationBody(biz);
      delete body[field];
      expectValidationProblem(await post(body), MISSING.filter((error) => error.field === field));
    });

    it('400 naming every wrong field at once', async () => {
      const res = await post({ ...locationBody(biz), name: 123, timezone: 'Mars/Olympus', policy: { holdTtlSeconds: 0 } });
      expectValidationProblem(res, [
        { field: 'name', message: 'must be a string' },
        { field: 'timezone', message: IANA },
        { field: 'policy.holdTtlSeconds', message: 'must not be less than 1' },
      ]);
    });

    it('400 for an empty body', async () => {
      expectValidationProblem(await t.api.post(ADMIN_LOCATIONS, { token: admin }), MISSING);
    });

    it('400 for an empty JSON object', async () => {
      expectValidationProblem(await post({}), MISSING);
    });

    it('400 for an empty body sent as application/json', async () => {
      expectValidationProblem(await t.api.post(ADMIN_LOCATIONS, { token: admin, rawBody: '' }), MISSING);
    });

    it('400 for an empty JSON array', async () => {
      expectValidationProblem(await post([]), MISSING);
    });

    it('400 for a JSON array holding a valid body', async () => {
      const res = await post([locationBody(biz)]);
      expectValidationFields(res, ['0', 'bizEntityId', 'name', 'timezone']);
    });

    it('400 for a number too large for a double (1e400 parses as Infinity)', async () => {
      const raw = JSON.stringify(locationBody(biz)).replace(/}$/, ',"policy":{"holdTtlSeconds":1e400}}');
      const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, rawBody: raw });
      expectValidationProblem(res, [{ field: 'policy.holdTtlSeconds', message: 'must be a finite number' }]);
    });
  });

  describe('POST /v1/admin/locations: documented bounds are accepted', () => {
    it.each(ACCEPTED_BOUNDS)('201 for $label', async ({ policy, expected }) => {
      const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { policy }) });
      expect(res.status).toBe(201);
      expect(res.body.policy).toEqual(expected);
      const read = await t.api.get(`${ADMIN_LOCATIONS}/${res.body.id}`, { token: admin });
      expect(read.body.policy).toEqual(expected);
    });
  });

  describe('PATCH /v1/admin/locations/{id}', () => {
    let location: LocationJson;
    let before: unknown;

    const patch = (body: unknown, id = location.id) => t.api.patch(`${ADMIN_LOCATIONS}/${id}`, { token: admin, body });

    beforeEach(async () => {
      location = await createLocation(t, admin, biz);
      before = await readLocationRow(t.db, location.id);
    });
    afterEach(async () => {
      // Whatever a case sent, the row (updated_at included) is as it was.
      expect(await readLocationRow(t.db, location.id)).toEqual(before);
      expect(await locationsOf(biz)).toBe(1);
    });

    it.each(SHARED_CASES)('400 for $label', async ({ body, errors }) => {
      expectValidationProblem(await patch(body), errors);
    });

    it.each(NUMERIC_CASES)('400 for $label', async ({ body, errors }) => {
      expectValidationProblem(await patch(body), errors);
    });

    it.each([
      bodyCase('bizEntityId (a location never changes business)', { bizEntityId: UNKNOWN_ID }, 'bizEntityId', 'property bizEntityId should not exist'),
      bodyCase('active: "true"', { active: 'true' }, 'active', 'must be a boolean value'),
      bodyCase('active: "yes"', { active: 'yes' }, 'active', 'must be a boolean value'),
      bodyCase('active: 1', { active: 1 }, 'active', 'must be a boolean value'),
      bodyCase('active: null', { active: null }, 'active', 'must be a boolean value'),
    ])('400 for $label', async ({ body, errors }) => {
      expectValidationProblem(await patch(body), errors);
    });

    it('400 for a valid change next to a bad one: nothing is applied', async () => {
      const res = await patch({ name: 'Renamed', policy: { holdTtlSeconds: 600, maxActiveHoldsPerUser: 0 } });
      expectValidationProblem(res, [{ field: 'policy.maxActiveHoldsPerUser', message: 'must not be less than 1' }]);
    });

    it('400 for an empty JSON array', async () => {
      expectValidationProblem(await patch([]), [{ field: 'body', message: 'Validation failed (object is expected)' }]);
    });

    it('400 for a JSON array holding a valid change', async () => {
      expectValidationFields(await patch([{ name: 'Renamed' }]), ['0']);
    });

    it('400 for a number too large for a double (1e400 parses as Infinity)', async () => {
      const res = await t.api.patch(`${ADMIN_LOCATIONS}/${location.id}`, {
        token: admin,
        rawBody: '{"policy":{"exposure":{"locationMax":1e400}}}',
      });
      expectValidationProblem(res, [{ field: 'policy.exposure.locationMax', message: 'must be a finite number' }]);
    });

    it.each(BAD_IDS)('400 for the path id %j', async (id) => {
      const res = await patch({ name: 'Renamed' }, encodeURIComponent(id));
      expectValidationProblem(res, [{ field: 'id', message: 'must be a UUID' }]);
    });
  });

  describe('PATCH /v1/admin/locations/{id}: documented bounds are accepted', () => {
    it.each(ACCEPTED_BOUNDS)('200 for $label', async ({ policy, expected }) => {
      const location = await createLocation(t, admin, biz);
      const res = await t.api.patch(`${ADMIN_LOCATIONS}/${location.id}`, { token: admin, body: { policy } });
      expect(res.status).toBe(200);
      expect(res.body.policy).toEqual(expected);
      const read = await t.api.get(`${ADMIN_LOCATIONS}/${location.id}`, { token: admin });
      expect(read.body.policy).toEqual(expected);
    });
  });

  describe('GET /v1/admin/locations/{id}', () => {
    it.each(BAD_IDS)('400 for the path id %j', async (id) => {
      const res = await t.api.get(`${ADMIN_LOCATIONS}/${encodeURIComponent(id)}`, { token: admin });
      expectValidationProblem(res, [{ field: 'id', message: 'must be a UUID' }]);
    });
  });

  describe('DELETE /v1/admin/locations/{id}', () => {
    it.each(BAD_IDS)('400 for the path id %j, and nothing is deleted', async (id) => {
      const location = await createLocation(t, admin, biz);
      const res = await t.api.delete(`${ADMIN_LOCATIONS}/${encodeURIComponent(id)}`, { token: admin });
      expectValidationProblem(res, [{ field: 'id', message: 'must be a UUID' }]);
      expect((await readLocationRow(t.db, location.id))?.active).toBe(true);
    });
  });

  describe('GET /v1/locations/{locationId}', () => {
    it.each(BAD_IDS)('400 for the path id %j', async (id) => {
      const res = await t.api.get(`${PUBLIC_LOCATIONS}/${encodeURIComponent(id)}`, { token: admin });
      expectValidationProblem(res, [{ field: 'locationId', message: 'must be a UUID' }]);
    });
  });

  /** Query strings both lists refuse. */
  const LIST_QUERY_CASES: { query: string; errors: FieldError[] }[] = [
    { query: 'bizEntityId=not-a-uuid', errors: [{ field: 'bizEntityId', message: 'must be a UUID' }] },
    { query: 'bizEntityId=', errors: [{ field: 'bizEntityId', message: 'must be a UUID' }] },
    { query: 'bizEntityId=123', errors: [{ field: 'bizEntityId', message: 'must be a UUID' }] },
    { query: 'limit=0', errors: [{ field: 'limit', message: 'must not be less than 1' }] },
    { query: 'limit=-5', errors: [{ field: 'limit', message: 'must not be less than 1' }] },
    { query: 'limit=201', errors: [{ field: 'limit', message: 'must not be greater than 200' }] },
    { query: 'limit=1.5', errors: [{ field: 'limit', message: NOT_INT }] },
    { query: 'cursor=garbage', errors: [{ field: 'cursor', message: 'is not a cursor this API issued' }] },
    { query: `cursor=${'A'.repeat(201)}`, errors: [{ field: 'cursor', message: TOO_LONG }] },
    { query: 'bizEntityId=not-a-uuid&limit=0', errors: [
      { field: 'bizEntityId', message: 'must be a UUID' },
      { field: 'limit', message: 'must not be less than 1' },
    ] },
  ];

  describe('GET /v1/admin/locations', () => {
    it.each([
      ...LIST_QUERY_CASES,
      { query: 'active=yes', errors: [{ field: 'active', message: 'must be a boolean value' }] },
      { query: 'active=1', errors: [{ field: 'active', message: 'must be a boolean value' }] },
      { query: 'active=TRUE', errors: [{ field: 'active', message: 'must be a boolean value' }] },
      { query: 'active=', errors: [{ field: 'active', message: 'must be a boolean value' }] },
    ])('400 for ?$query', async ({ query, errors }) => {
      expectValidationProblem(await t.api.get(`${ADMIN_LOCATIONS}?${query}`, { token: admin }), errors);
    });

    it('400 naming limit for ?limit=abc', async () => {
      expectValidationFields(await t.api.get(`${ADMIN_LOCATIONS}?limit=abc`, { token: admin }), ['limit']);
    });
  });

  describe('GET /v1/locations', () => {
    it.each([
      ...LIST_QUERY_CASES,
      { query: 'active=false', errors: [unknownProperty('active')] },
    ])('400 for ?$query', async ({ query, errors }) => {
      expectValidationProblem(await t.api.get(`${PUBLIC_LOCATIONS}?${query}`, { token: admin }), errors);
    });

    it('400 naming limit for ?limit=abc', async () => {
      expectValidationFields(await t.api.get(`${PUBLIC_LOCATIONS}?limit=abc`, { token: admin }), ['limit']);
    });
  });
});
