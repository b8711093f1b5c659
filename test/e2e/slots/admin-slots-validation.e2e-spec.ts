import type { Response } from 'supertest';
import { startTestApp, TestApp } from '../../utils/test-app';
import { createLocation, createPerson, createRule, createTenant, generateSlots, Tenant } from '../../factories/catalogue';
import { ADMIN_SLOTS, GENERATE, MONDAY_MORNINGS, SlotRow, slotRowsOfBusiness, slotRowsOfPerson, SLOTS_TENANT, TWO_WEEKS, UNKNOWN_ID } from './admin-slots-helpers';
import { expectProblem, expectValidationFields } from '../../utils/problem';

/**
 * A business with a person who works Monday mornings, generated for the first week only (two
 * slots), and a second location with a person of its own. Any generation run over TWO_WEEKS
 * that got through would write, so "nothing written" is observable.
 */
interface Fixture {
  tenant: Tenant;
  slotId: string;
  elsewhereLocationId: string;
  elsewherePersonId: string;
}

type Call = (t: TestApp, f: Fixture) => Promise<Response>;

const generation =
  (changes: Record<string, unknown>): Call =>
  (t, f) => {
    const body: Record<string, unknown> = { locationId: f.tenant.locationId, ...TWO_WEEKS, ...changes };
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete body[key];
    return t.api.post(GENERATE, { token: f.tenant.admin, body });
  };

const generationBody =
  (body: unknown): Call =>
  (t, f) =>
    t.api.post(GENERATE, { token: f.tenant.admin, body });

/** `personIds` built from the fixture. */
const withPeople =
  (personIds: (f: Fixture) => unknown): Call =>
  (t, f) =>
    generation({ personIds: personIds(f) })(t, f);

const list =
  (query: string): Call =>
  (t, f) =>
    t.api.get(`${ADMIN_SLOTS}?locationId=${f.tenant.locationId}&${query}`, { token: f.tenant.admin });

const patch =
  (body: unknown): Call =>
  (t, f) =>
    t.api.patch(`${ADMIN_SLOTS}/${f.slotId}`, { token: f.tenant.admin, body });

const patchPath =
  (id: string, body: unknown = { status: 'blocked' }): Call =>
  (t, f) =>
    t.api.patch(`${ADMIN_SLOTS}/${id}`, { token: f.tenant.admin, body });

const patchRaw =
  (text: string): Call =>
  (t, f) =>
    t.api.patch(`${ADMIN_SLOTS}/${f.slotId}`, { token: f.tenant.admin, rawBody: text });

const cursorOf = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

const badInput: [string, Call, string[]][] = [
  // ---- POST /v1/admin/slot-generations: the range ----------------------------------------------
  ['generation over 367 days (2027-01-01..2028-01-02)', generation({ from: '2027-01-01', to: '2028-01-02' }), ['to']],
  ['generation over 367 days across a leap day (2027-12-31..2028-12-31)', generation({ from: '2027-12-31', to: '2028-12-31' }), ['to']],
  ['generation over several years', generation({ from: '2027-01-01', to: '2030-01-01' }), ['to']],
  ['generation with to before from', generation({ from: '2027-01-17', to: '2027-01-04' }), ['to']],
  ['generation with to one day before from', generation({ from: '2027-01-05', to: '2027-01-04' }), ['to']],
  // ---- the dates ------------------------------------------------------------------------------
  ['generation from 2027-02-30', generation({ from: '2027-02-30' }), ['from']],
  ['generation to 2027-02-29 (not a leap year)', generation({ to: '2027-02-29' }), ['to']],
  ['generation from 2027-13-01', generation({ from: '2027-13-01' }), ['from']],
  ['generation from 2027-1-1', generation({ from: '2027-1-1' }), ['from']],
  ['generation from the number 20270101', generation({ from: 20270101 }), ['from']],
  ['generation to the number 20270117', generation({ to: 20270117 }), ['to']],
  ['generation from an instant', generation({ from: '2027-01-04T00:00:00.000Z' }), ['from']],
  ['generation from 04/01/2027', generation({ from: '04/01/2027' }), ['from']],
  ['generation from an empty string', generation({ from: '' }), ['from']],
  ['generation from null', generation({ from: null }), ['from']],
  ['generation to null', generation({ to: null }), ['to']],
  ['generation without from', generation({ from: undefined }), ['from']],
  ['generation without to', generation({ to: undefined }), ['to']],
  ['generation without from and to', generation({ from: undefined, to: undefined }), ['from', 'to']],
  // ---- the location ---------------------------------------------------------------------------
  ['generation without locationId', generation({ locationId: undefined }), ['locationId']],
  ['generation with locationId "abc"', generation({ locationId: 'abc' }), ['locationId']],
  ['generation with a numeric locationId', generation({ locationId: 42 }), ['locationId']],
  ['generation with locationId null', generation({ locationId: null }), ['locationId']],
  ['generation with a UUID missing a digit', generation({ locationId: UNKNOWN_ID.slice(1) }), ['locationId']],
  ['generation with an empty body', generationBody({}), ['locationId', 'from', 'to']],
  // ---- personIds ------------------------------------------------------------------------------
  ['generation with personIds a string', withPeople((f) => f.tenant.personId), ['personIds']],
  ['generation with personIds an object', withPeople((f) => ({ id: f.tenant.personId })), ['personIds']],
  ['generation with personIds null', withPeople(() => null), ['personIds']],
  ['generation with personIds empty', withPeople(() => []), ['personIds']],
  ['generation with duplicate personIds', withPeople((f) => [f.tenant.personId, f.tenant.personId]), ['personIds']],
  ['generation with personIds duplicated in another case', withPeople((f) => [f.tenant.personId, f.tenant.personId.toUpperCase()]), ['personIds']],
  ['generation with a non-UUID personId', withPeople(() => ['rana']), ['personIds']],
  ['generation with a valid and a non-UUID personId', withPeople((f) => [f.tenant.personId, 'rana']), ['personIds']],
  ['generation with a numeric personId', withPeople(() => [7]), ['personIds']],
  ['generation with a null personId', withPeople(() => [null]), ['personIds']],
  ['generation with 1001 personIds', withPeople(() => Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)), ['personIds']],
  // ---- the envelope ---------------------------------------------------------------------------
  ['generation with an unknown property', generation({ dryRun: true }), ['dryRun']],
  ['generation with bizEntityId (taken from the location)', generation({ bizEntityId: UNKNOWN_ID }), ['bizEntityId']],

  // ---- GET /v1/admin/slots ----------------------------------------------------------------------
  ['list from a date', list('from=2027-01-01'), ['from']],
  ['list from an instant with an offset', list(`from=${encodeURIComponent('2027-01-01T00:00:00+04:00')}`), ['from']],
  ['list from an instant with no zone', list('from=2027-01-01T00:00:00'), ['from']],
  ['list from "yesterday"', list('from=yesterday'), ['from']],
  ['list to "yesterday"', list('to=yesterday'), ['to']],
  ['list to a date', list('to=2027-01-01'), ['to']],
  ['list to an instant with an offset', list(`to=${encodeURIComponent('2027-01-01T00:00:00+04:00')}`), ['to']],
  ['list from 2027-02-30T00:00:00Z', list('from=2027-02-30T00:00:00Z'), ['from']],
  ['list from 25:00', list('from=2027-01-01T25:00:00Z'), ['from']],
  ['list from an empty value', list('from='), ['from']],
  ['list from twice', list('from=2027-01-01T00:00:00Z&from=2027-01-02T00:00:00Z'), ['from']],
  ['list with status "retire"', list('status=retire'), ['status']],
  ['list with status "OPEN"', list('status=OPEN'), ['status']],
  ['list with status twice', list('status=open&status=blocked'), ['status']],
  ['list with an empty status', list('status='), ['status']],
  ['list with limit 0', list('limit=0'), ['limit']],
  ['list with limit 201', list('limit=201'), ['limit']],
  ['list with limit -1', list('limit=-1'), ['limit']],
  ['list with limit 1.5', list('limit=1.5'), ['limit']],
  ['list with limit "ten"', list('limit=ten'), ['limit']],
  ['list with an empty limit', list('limit='), ['limit']],
  ['list with a garbage cursor', list('cursor=garbage'), ['cursor']],
  ['list with an empty cursor', list('cursor='), ['cursor']],
  ['list with a cursor naming no UUID', list(`cursor=${cursorOf('2027-01-04T05:00:00.000Z|rana')}`), ['cursor']],
  ['list with a cursor naming no instant', list(`cursor=${cursorOf(`soon|${UNKNOWN_ID}`)}`), ['cursor']],
  ['list with a cursor of three parts', list(`cursor=${cursorOf(`2027-01-04T05:00:00.000Z|${UNKNOWN_ID}|x`)}`), ['cursor']],
  ['list with a cursor over 200 characters', list(`cursor=${'a'.repeat(201)}`), ['cursor']],
  ['list with locationId "abc"', (t, f) => t.api.get(`${ADMIN_SLOTS}?locationId=abc`, { token: f.tenant.admin }), ['locationId']],
  ['list with personId "abc"', list('personId=abc'), ['personId']],
  ['list with bizEntityId (the token decides)', list(`bizEntityId=${UNKNOWN_ID}`), ['bizEntityId']],

  // ---- PATCH /v1/admin/slots/{id} ---------------------------------------------------------------
  ['patch with status "retired" (only generation retires)', patch({ status: 'retired' }), ['status']],
  ['patch with status "closed"', patch({ status: 'closed' }), ['status']],
  ['patch with status "BLOCKED"', patch({ status: 'BLOCKED' }), ['status']],
  ['patch with status null', patch({ status: null }), ['status']],
  ['patch with status true', patch({ status: true }), ['status']],
  ['patch with capacity 0', patch({ capacity: 0 }), ['capacity']],
  ['patch with capacity -1', patch({ capacity: -1 }), ['capacity']],
  ['patch with capacity 10001', patch({ capacity: 10001 }), ['capacity']],
  ['patch with capacity 1.5', patch({ capacity: 1.5 }), ['capacity']],
  ['patch with capacity "2"', patch({ capacity: '2' }), ['capacity']],
  ['patch with capacity null', patch({ capacity: null }), ['capacity']],
  ['patch with a bad capacity and a good status', patch({ status: 'blocked', capacity: 0 }), ['capacity']],
  ['patch with an unknown property', patch({ note: 'lunch' }), ['note']],
  ['patch with booked', patch({ booked: 1 }), ['booked']],
  ['patch with startsAt', patch({ startsAt: '2027-01-04T06:00:00.000Z' }), ['startsAt']],
  ['patch with personId', patch({ personId: UNKNOWN_ID }), ['personId']],
  ['patch of a path id that is not a UUID', patchPath('not-a-uuid'), ['id']],
  ['patch of a path id that is a number', patchPath('123'), ['id']],
  ['patch of a path id with a digit too many', patchPath(`${UNKNOWN_ID}0`), ['id']],
  ['patch with an empty array for a body', patchRaw('[]'), ['body']],
];

describe('admin slots: bad input', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function fixture(): Promise<Fixture> {
    const tenant = await createTenant(t, SLOTS_TENANT);
    await createRule(t, tenant.admin, { personId: tenant.personId, ...MONDAY_MORNINGS });
    expect(await generateSlots(t, tenant.admin, tenant.locationId, { from: '2027-01-04', to: '2027-01-10' })).toMatchObject({ created: 2 });
    const [slot] = await slotRowsOfPerson(t.db, tenant.personId);
    const elsewhereLocationId = (await createLocation(t, tenant.admin, tenant.biz, { timezone: 'Asia/Dubai' })).id;
    const elsewherePersonId = (await createPerson(t, tenant.admin, { locationId: elsewhereLocationId, name: 'Omar' })).id;
    await createRule(t, tenant.admin, { personId: elsewherePersonId, ...MONDAY_MORNINGS });
    return { tenant, slotId: slot.id, elsewhereLocationId, elsewherePersonId };
  }

  describe('400 VALIDATION_FAILED, nothing written', () => {
    it.each(badInput)('%s', async (_name, call, fields) => {
      const f = await fixture();
      const before: SlotRow[] = await slotRowsOfBusiness(t.db, f.tenant.biz);
      const res = await call(t, f);
      expect(res.status).not.toBeGreaterThanOrEqual(500);
      expectValidationFields(res, fields);
      expect(await slotRowsOfBusiness(t.db, f.tenant.biz)).toEqual(before);
    });
  });

  describe('POST /v1/admin/slot-generations naming a person who does not work at the location', () => {
    const unknownPeople: [string, (f: Fixture) => { locationId: string; personIds: string[] }][] = [
      ['a UUID that is nobody', (f) => ({ locationId: f.tenant.locationId, personIds: [UNKNOWN_ID] })],
      ['a person of another location of the same business', (f) => ({ locationId: f.tenant.locationId, personIds: [f.elsewherePersonId] })],
      ['the location\'s own person and one of another location', (f) => ({ locationId: f.tenant.locationId, personIds: [f.tenant.personId, f.elsewherePersonId] })],
      ['the other location with this location\'s person', (f) => ({ locationId: f.elsewhereLocationId, personIds: [f.tenant.personId] })],
    ];

    it.each(unknownPeople)('answers 404 NOT_FOUND for %s, and writes nothing', async (_name, bodyOf) => {
      const f = await fixture();
      const before = await slotRowsOfBusiness(t.db, f.tenant.biz);
      const res = await t.api.post(GENERATE, { token: f.tenant.admin, body: { ...bodyOf(f), ...TWO_WEEKS } });
      expectProblem(res, 'NOT_FOUND');
      expect(await slotRowsOfBusiness(t.db, f.tenant.biz)).toEqual(before);
    });

    it('answers 404 NOT_FOUND for a location that does not exist, and writes nothing', async () => {
      const f = await fixture();
      const before = await slotRowsOfBusiness(t.db, f.tenant.biz);
      const res = await t.api.post(GENERATE, { token: f.tenant.admin, body: { locationId: UNKNOWN_ID, ...TWO_WEEKS } });
      expectProblem(res, 'NOT_FOUND');
      expect(await slotRowsOfBusiness(t.db, f.tenant.biz)).toEqual(before);
    });

    it('generates when the same people are named properly (the cases above are about the names)', async () => {
      const f = await fixture();
      const res = await t.api.post(GENERATE, { token: f.tenant.admin, body: { locationId: f.tenant.locationId, personIds: [f.tenant.personId], ...TWO_WEEKS } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 2, updated: 0, retired: 0, unchanged: 2, conflicts: [], skipped: [] });
      const upper = await t.api.post(GENERATE, {
        token: f.tenant.admin,
        body: { locationId: f.elsewhereLocationId.toUpperCase(), personIds: [f.elsewherePersonId.toUpperCase()], ...TWO_WEEKS },
      });
      expect(upper.status).toBe(200);
      expect(upper.body).toEqual({ created: 4, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] });
    });
  });
});
