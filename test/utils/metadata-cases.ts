import type { Response } from 'supertest';
import { countRows, createBusiness } from '../factories/factories';
import { expectProblem, expectValidationFields, expectValidationProblem } from './problem';
import { startTestApp, TestApp, token } from './test-app';

/** `count` metadata keys `prefix0`…, each with `value` (null: a change removing them). */
export const metadataKeys = (count: number, prefix = 'k', value: string | null = 'v'): Record<string, string | null> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, value]));

/** Metadata every body refuses (create and change alike), and the field its 400 names. */
export const BAD_METADATA: [string, unknown, string][] = [
  ['an array', ['a'], 'metadata'],
  ['a string', 'crm=1', 'metadata'],
  ['null', null, 'metadata'],
  ['a number value', { colour: 7 }, 'metadata.colour'],
  ['an object value', { colour: { r: 1 } }, 'metadata.colour'],
  ['a value of 501 characters', { colour: 'x'.repeat(501) }, 'metadata.colour'],
  ['a key of 41 characters', { ['k'.repeat(41)]: 'x' }, `metadata.${'k'.repeat(41)}`],
  ['an empty key', { '': 'x' }, 'metadata.'],
  ['a key with brackets', { 'a[b]': 'x' }, 'metadata.a[b]'],
  ['a NUL in a value', { colour: 'a\u0000b' }, 'metadata.colour'],
];

/** Refused on create only: more than 50 keys, and null values (a change takes them as removals). */
export const BAD_STORED_METADATA: [string, unknown, string][] = [
  ['51 keys', metadataKeys(51), 'metadata'],
  ['a null value', { colour: null }, 'metadata.colour'],
];

/** Refused on change only: more than 100 keys named at once. */
export const BAD_METADATA_CHANGE: [string, unknown, string][] = [['101 keys', metadataKeys(101, 'k', null), 'metadata']];

/** One resource with metadata on its admin create and PATCH, hidden from its public view. */
export interface MetadataResource {
  /** `/v1/admin/locations` */
  adminPath: string;
  table: 'locations' | 'people';
  /** A valid create body, without metadata, in business `biz` whose admin is `admin`. */
  body: (t: TestApp, biz: string, admin: string) => Promise<Record<string, unknown>>;
  /** The public GET of the created resource. */
  publicPath: (created: { id: string; locationId?: string }) => string;
}

/**
 * The metadata rules of a location or person (issue 16, item 2), through its admin API: set on
 * create, merged by PATCH (null removes a key), at most 50 keys across merges, bad shapes 400
 * naming the key with the row unchanged, another business's row 404, the public view without it.
 */
export function describeMetadataOf(resource: MetadataResource): void {
  let t: TestApp;
  let w: { biz: string; admin: string; otherAdmin: string; user: string; body: Record<string, unknown> };

  beforeAll(async () => {
    t = await startTestApp();
    const biz = await createBusiness(t.db);
    const admin = await token({ roles: ['admin'], biz: [biz] });
    const otherAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
    w = { biz, admin, otherAdmin, user: await token(), body: await resource.body(t, biz, admin) };
  });
  afterAll(() => t.close());

  const create = async (metadata?: unknown): Promise<Response> =>
    t.api.post(resource.adminPath, { token: w.admin, body: { ...w.body, ...(metadata === undefined ? {} : { metadata }) } });
  const row = async (id: string): Promise<unknown> => (await t.db.query(`SELECT * FROM scheduler.${resource.table} WHERE id = $1`, [id]))[0];

  it('is set on create ({} when none), merged by PATCH (null removes a key), and shown on every admin view', async () => {
    expect((await create()).body.metadata).toEqual({});
    const created = await create({ a: '1', b: '2' });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toEqual({ a: '1', b: '2' });
    const changed = await t.api.patch(`${resource.adminPath}/${created.body.id}`, { token: w.admin, body: { metadata: { b: null, c: '3' } } });
    expect(changed.status).toBe(200);
    expect(changed.body.metadata).toEqual({ a: '1', c: '3' });
    expect((await t.api.get(`${resource.adminPath}/${created.body.id}`, { token: w.admin })).body).toEqual(changed.body);
    const listed = await t.api.get(`${resource.adminPath}?limit=200`, { token: w.admin });
    expect(listed.body.data.find((item: { id: string }) => item.id === created.body.id)).toEqual(changed.body);
    // Another field's change keeps it.
    const other = await t.api.patch(`${resource.adminPath}/${created.body.id}`, { token: w.admin, body: { name: 'Renamed' } });
    expect(other.body.metadata).toEqual({ a: '1', c: '3' });
  });

  it('is left out of the public view', async () => {
    const created = await create({ internal: 'yes' });
    const seen = await t.api.get(resource.publicPath(created.body), { token: w.user });
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).toContain(created.body.id);
    expect(JSON.stringify(seen.body)).not.toContain('internal');
  });

  it('holds at most 50 keys across merges: past that 400 naming metadata, and the row is unchanged', async () => {
    const created = await create(metadataKeys(49));
    const path = `${resource.adminPath}/${created.body.id}`;
    const before = await row(created.body.id);
    expectValidationProblem(await t.api.patch(path, { token: w.admin, body: { name: 'Not this', metadata: { x: '1', y: '2' } } }), [
      { field: 'metadata', message: 'must have at most 50 keys once the change is merged' },
    ]);
    expect(await row(created.body.id)).toEqual(before);
    const fits = await t.api.patch(path, { token: w.admin, body: { metadata: { k0: null, x: '1', y: '2' } } });
    expect(fits.status).toBe(200);
    expect(Object.keys(fits.body.metadata)).toHaveLength(50);
  });

  it.each([...BAD_METADATA, ...BAD_STORED_METADATA])('a create with %s is 400 naming the key and writes nothing', async (_, metadata, field) => {
    const count = (): Promise<number> => countRows(t.db, `scheduler.${resource.table}`, 'biz_entity_id = $1', [w.biz]);
    const before = await count();
    expectValidationFields(await create(metadata), [field]);
    expect(await count()).toBe(before);
  });

  it.each([...BAD_METADATA, ...BAD_METADATA_CHANGE])('a PATCH with %s is 400 naming the key and changes nothing', async (_, metadata, field) => {
    const created = await create({ a: '1' });
    const before = await row(created.body.id);
    expectValidationFields(await t.api.patch(`${resource.adminPath}/${created.body.id}`, { token: w.admin, body: { metadata } }), [field]);
    expect(await row(created.body.id)).toEqual(before);
  });

  it("another business's admin cannot read or change it (404)", async () => {
    const created = await create({ a: '1' });
    const before = await row(created.body.id);
    expectProblem(await t.api.patch(`${resource.adminPath}/${created.body.id}`, { token: w.otherAdmin, body: { metadata: { a: '2' } } }), 'NOT_FOUND');
    expect(await row(created.body.id)).toEqual(before);
  });
}
