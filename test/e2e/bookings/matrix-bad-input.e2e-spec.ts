import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { business, Business, key } from '../../factories/bookings';
import { startTestApp, TestApp } from '../../utils/test-app';
import { call, snapshot, Snapshot, wideRange } from './matrix-helpers';
import { expectProblem, expectValidationFailed } from '../../utils/problem';

/**
 * Bad input on every booking route (API.md §Conventions, §Error codes): 400 VALIDATION_FAILED
 * naming the field, never a 500, and nothing written — no booking, no event, no idempotency
 * record (a 400 is not a stored outcome, so the client may retry the key with a fixed body).
 * Every request would otherwise succeed: a valid caller, a live target, an Idempotency-Key.
 */

type Build<T> = (b: Business) => T;

interface Case {
  as: 'user' | 'admin';
  method: 'get' | 'post';
  path: Build<string>;
  body?: Build<unknown>;
  raw?: Build<string>;
  /** The field the problem must name. */
  field: string;
}

const LONG = 'x'.repeat(2001);
const LONG_ASTRAL = '\u{1F600}'.repeat(2001);
const WITH_NUL = 'before\u0000after';
const cursorOf = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

const hold = (body: Build<unknown>, field: string): Case => ({ as: 'user', method: 'post', path: () => '/v1/bookings', body, field });
const holdRaw = (raw: Build<string>, field = 'body'): Case => ({ as: 'user', method: 'post', path: () => '/v1/bookings', raw, field });
const userPost = (action: string, field: string, id?: string, body?: Build<unknown>): Case => ({
  as: 'user',
  method: 'post',
  path: (b) => `/v1/bookings/${id ?? b.held}/${action}`,
  body,
  field,
});
const userList = (query: string, field: string): Case => ({ as: 'user', method: 'get', path: () => `/v1/bookings?${query}`, field });
const adminList = (query: string, field: string): Case => ({ as: 'admin', method: 'get', path: () => `/v1/admin/bookings?${query}`, field });
const adminCreate = (body: Build<unknown>, field: string): Case => ({ as: 'admin', method: 'post', path: () => '/v1/admin/bookings', body, field });
const adminPost = (action: string, field: string, id?: Build<string>, body?: Build<unknown>): Case => ({
  as: 'admin',
  method: 'post',
  path: (b) => `/v1/admin/bookings/${id ? id(b) : b.held}/${action}`,
  body,
  field,
});
const bulk = (body: Build<unknown>, field: string): Case => ({ as: 'admin', method: 'post', path: () => '/v1/admin/bookings/bulk-cancel', body, field });
/** A bulk-cancel that would cancel both of the business's live bookings, with `overrides` on top. */
const bulkBody = (overrides: Record<string, unknown>, omit?: string): Build<unknown> => (b) => {
  const body: Record<string, unknown> = { locationId: b.locationId, ...wideRange(), reason: 'closed', ...overrides };
  if (omit) delete body[omit];
  return body;
};

const PUBLIC_HOLD: [string, Case][] = [
  ['unknown property foo', hold((b) => ({ slotId: b.slotIds[1], foo: 'bar' }), 'foo')],
  ['unknown property userId (a hold for someone else)', hold((b) => ({ slotId: b.slotIds[1], userId: randomUUID() }), 'userId')],
  ['unknown property status', hold((b) => ({ slotId: b.slotIds[1], status: 'confirmed' }), 'status')],
  ['slotId missing', hold(() => ({ notes: 'hi' }), 'slotId')],
  ['slotId 123', hold(() => ({ slotId: 123 }), 'slotId')],
  ['slotId not a UUID', hold(() => ({ slotId: 'slot-1' }), 'slotId')],
  ['slotId a UUID with a trailing character', hold((b) => ({ slotId: `${b.slotIds[1]}0` }), 'slotId')],
  ['slotId null', hold(() => ({ slotId: null }), 'slotId')],
  ['slotId an array of the UUID', hold((b) => ({ slotId: [b.slotIds[1]] }), 'slotId')],
  ['notes 5', hold((b) => ({ slotId: b.slotIds[1], notes: 5 }), 'notes')],
  ['notes null', hold((b) => ({ slotId: b.slotIds[1], notes: null }), 'notes')],
  ['notes an object', hold((b) => ({ slotId: b.slotIds[1], notes: { text: 'hi' } }), 'notes')],
  ['notes of 2001 characters', hold((b) => ({ slotId: b.slotIds[1], notes: LONG }), 'notes')],
  ['notes of 2001 astral characters', hold((b) => ({ slotId: b.slotIds[1], notes: LONG_ASTRAL }), 'notes')],
  ['notes with a NUL character', hold((b) => ({ slotId: b.slotIds[1], notes: WITH_NUL }), 'notes')],
  // Refused item by item (fields `0`, `slotId`): an array is never the object the route takes.
  ['a JSON array body', holdRaw((b) => JSON.stringify([{ slotId: b.slotIds[1] }]), '*')],
];

const PUBLIC_CONFIRM_CANCEL_GET: [string, Case][] = [
  ['confirm: id not a UUID', userPost('confirm', 'id', 'not-a-uuid')],
  ['confirm: id 123', userPost('confirm', 'id', '123')],
  ['confirm: id a UUID with a trailing character', { ...userPost('confirm', 'id'), path: (b) => `/v1/bookings/${b.held}0/confirm` }],
  ['confirm: an unknown body property', userPost('confirm', 'status', undefined, () => ({ status: 'confirmed' }))],
  ['confirm: a JSON array body', { ...userPost('confirm', 'body'), raw: () => '[]' }],
  ['cancel: id not a UUID', userPost('cancel', 'id', 'not-a-uuid', () => ({ reason: 'x' }))],
  ['cancel: reason 5', userPost('cancel', 'reason', undefined, () => ({ reason: 5 }))],
  ['cancel: reason null', userPost('cancel', 'reason', undefined, () => ({ reason: null }))],
  ['cancel: reason of 2001 characters', userPost('cancel', 'reason', undefined, () => ({ reason: LONG }))],
  ['cancel: reason with a NUL character', userPost('cancel', 'reason', undefined, () => ({ reason: WITH_NUL }))],
  ['cancel: unknown property foo', userPost('cancel', 'foo', undefined, () => ({ reason: 'x', foo: 1 }))],
  ['cancel: unknown property cancelledAt', userPost('cancel', 'cancelledAt', undefined, () => ({ cancelledAt: '2020-01-01T00:00:00Z' }))],
  ['cancel: malformed JSON', { ...userPost('cancel', 'body'), raw: () => '{"reason": ' }],
  ['cancel: a JSON array body', { ...userPost('cancel', 'body'), raw: () => '[]' }],
  ['GET one: id not a UUID', { as: 'user', method: 'get', path: () => '/v1/bookings/not-a-uuid', field: 'id' }],
  ['GET one: id with a trailing character', { as: 'user', method: 'get', path: (b) => `/v1/bookings/${b.held}0`, field: 'id' }],
];

/** Query cases shared by the public and the admin list. */
const LIST_QUERIES: [string, string, string][] = [
  ['from without Z', 'from=2026-03-08T14:00:00', 'from'],
  ['from a date only', 'from=2026-03-08', 'from'],
  ['from with an offset', 'from=2026-03-08T14:00:00%2B01:00', 'from'],
  ['from epoch milliseconds', 'from=1772978400000', 'from'],
  ['from empty', 'from=', 'from'],
  ['from on 30 February', 'from=2026-02-30T10:00:00Z', 'from'],
  ['to a word', 'to=tomorrow', 'to'],
  ['to at hour 25', 'to=2026-03-08T25:00:00Z', 'to'],
  ['status done', 'status=done', 'status'],
  ['status in capitals', 'status=HELD', 'status'],
  ['status twice', 'status=held&status=confirmed', 'status'],
  ['limit 0', 'limit=0', 'limit'],
  ['limit 201', 'limit=201', 'limit'],
  ['limit abc', 'limit=abc', 'limit'],
  ['limit 1.5', 'limit=1.5', 'limit'],
  ['limit -1', 'limit=-1', 'limit'],
  ['limit 0x10', 'limit=0x10', 'limit'],
  ['limit 1e1', 'limit=1e1', 'limit'],
  ['limit empty', 'limit=', 'limit'],
  ['a garbage cursor', 'cursor=garbage!', 'cursor'],
  ['a cursor without an id', `cursor=${cursorOf('2026-03-08T14:00:00.000Z')}`, 'cursor'],
  ['a cursor with a bad id', `cursor=${cursorOf('2026-03-08T14:00:00.000Z|not-a-uuid')}`, 'cursor'],
  ['a cursor with a bad instant', `cursor=${cursorOf(`yesterday|${randomUUID()}`)}`, 'cursor'],
  ['a cursor of 201 characters', `cursor=${'A'.repeat(201)}`, 'cursor'],
  ['a bizEntityId parameter', `bizEntityId=${randomUUID()}`, 'bizEntityId'],
];

const PUBLIC_LIST: [string, Case][] = [
  ...LIST_QUERIES.map(([name, query, field]): [string, Case] => [name, userList(query, field)]),
  ['userId (another user\'s bookings)', userList(`userId=${randomUUID()}`, 'userId')],
  ['locationId (an admin filter)', userList(`locationId=${randomUUID()}`, 'locationId')],
];

const ADMIN_LIST: [string, Case][] = [
  ...LIST_QUERIES.map(([name, query, field]): [string, Case] => [name, adminList(query, field)]),
  ['locationId x', adminList('locationId=x', 'locationId')],
  ['personId x', adminList('personId=x', 'personId')],
  ['userId x', adminList('userId=x', 'userId')],
  ['userId empty', adminList('userId=', 'userId')],
  ['GET one: id not a UUID', { as: 'admin', method: 'get', path: () => '/v1/admin/bookings/not-a-uuid', field: 'id' }],
];

const ADMIN_CREATE: [string, Case][] = [
  ['an empty body', adminCreate(() => ({}), 'slotId')],
  ['slotId 123', adminCreate((b) => ({ slotId: 123, userId: b.user.id }), 'slotId')],
  ['slotId not a UUID', adminCreate((b) => ({ slotId: 'x', userId: b.user.id }), 'slotId')],
  ['userId missing', adminCreate((b) => ({ slotId: b.slotIds[1] }), 'userId')],
  ['userId "x"', adminCreate((b) => ({ slotId: b.slotIds[1], userId: 'x' }), 'userId')],
  ['userId 123', adminCreate((b) => ({ slotId: b.slotIds[1], userId: 123 }), 'userId')],
  ['userId null', adminCreate((b) => ({ slotId: b.slotIds[1], userId: null }), 'userId')],
  ['status "done"', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, status: 'done' }), 'status')],
  ['status "cancelled"', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, status: 'cancelled' }), 'status')],
  ['status "Confirmed"', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, status: 'Confirmed' }), 'status')],
  ['status null', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, status: null }), 'status')],
  ['notes 5', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, notes: 5 }), 'notes')],
  ['notes null', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, notes: null }), 'notes')],
  ['notes of 2001 characters', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, notes: LONG }), 'notes')],
  ['notes with a NUL character', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, notes: WITH_NUL }), 'notes')],
  ['unknown property holdExpiresAt', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, holdExpiresAt: '2030-01-01T00:00:00Z' }), 'holdExpiresAt')],
  ['unknown property locationId', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id, locationId: b.locationId }), 'locationId')],
  ['a JSON array body', { ...adminCreate(() => undefined, '*'), raw: (b) => JSON.stringify([{ slotId: b.slotIds[1], userId: b.user.id }]) }],
  ['malformed JSON', { ...adminCreate(() => undefined, 'body'), raw: (b) => `{"slotId": "${b.slotIds[1]}", "userId": ` }],
];

const ADMIN_ACTIONS: [string, Case][] = [
  ['cancel: id not a UUID', adminPost('cancel', 'id', () => 'not-a-uuid', () => ({ reason: 'x' }))],
  ['cancel: reason 5', adminPost('cancel', 'reason', undefined, () => ({ reason: 5 }))],
  ['cancel: reason null', adminPost('cancel', 'reason', undefined, () => ({ reason: null }))],
  ['cancel: reason of 2001 characters', adminPost('cancel', 'reason', undefined, () => ({ reason: LONG }))],
  ['cancel: reason with a NUL character', adminPost('cancel', 'reason', undefined, () => ({ reason: WITH_NUL }))],
  ['cancel: unknown property notifyUser', adminPost('cancel', 'notifyUser', undefined, () => ({ reason: 'x', notifyUser: true }))],
  ['reschedule: id not a UUID', adminPost('reschedule', 'id', () => 'not-a-uuid', (b) => ({ slotId: b.slotIds[2] }))],
  ['reschedule: slotId missing', adminPost('reschedule', 'slotId', undefined, () => ({}))],
  ['reschedule: no body', adminPost('reschedule', 'slotId')],
  ['reschedule: slotId "x"', adminPost('reschedule', 'slotId', undefined, () => ({ slotId: 'x' }))],
  ['reschedule: slotId 123', adminPost('reschedule', 'slotId', undefined, () => ({ slotId: 123 }))],
  ['reschedule: slotId null', adminPost('reschedule', 'slotId', undefined, () => ({ slotId: null }))],
  ['reschedule: unknown property status', adminPost('reschedule', 'status', undefined, (b) => ({ slotId: b.slotIds[2], status: 'confirmed' }))],
  ['reschedule: malformed JSON', { ...adminPost('reschedule', 'body'), raw: () => '{"slotId": }' }],
  ['complete: id not a UUID', adminPost('complete', 'id', () => 'not-a-uuid')],
  ['complete: an unknown body property', adminPost('complete', 'notes', (b) => b.started, () => ({ notes: 'went well' }))],
  ['complete: malformed JSON', { ...adminPost('complete', 'body', (b) => b.started), raw: () => '{' }],
  ['no-show: id not a UUID', adminPost('no-show', 'id', () => 'not-a-uuid')],
  ['no-show: an unknown body property', adminPost('no-show', 'reason', (b) => b.started, () => ({ reason: 'did not come' }))],
];

const BULK_CANCEL: [string, Case][] = [
  ['reason missing', bulk(bulkBody({}, 'reason'), 'reason')],
  ['reason empty', bulk(bulkBody({ reason: '' }), 'reason')],
  ['reason 5', bulk(bulkBody({ reason: 5 }), 'reason')],
  ['reason null', bulk(bulkBody({ reason: null }), 'reason')],
  ['reason of 2001 characters', bulk(bulkBody({ reason: LONG }), 'reason')],
  ['reason with a NUL character', bulk(bulkBody({ reason: WITH_NUL }), 'reason')],
  ['from equal to to', bulk(bulkBody({ from: '2030-01-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' }), 'to')],
  ['from after to', bulk(bulkBody({ from: wideRange().to, to: wideRange().from }), 'to')],
  ['from missing', bulk(bulkBody({}, 'from'), 'from')],
  ['from a date only', bulk(bulkBody({ from: '2026-03-08' }), 'from')],
  ['to without Z', bulk(bulkBody({ to: '2099-03-08T14:00:00' }), 'to')],
  ['to a local wall-clock value', bulk(bulkBody({ to: '2099-03-08T14:00' }), 'to')],
  ['locationId missing', bulk(bulkBody({}, 'locationId'), 'locationId')],
  ['locationId "x"', bulk(bulkBody({ locationId: 'x' }), 'locationId')],
  ['personIds empty', bulk(bulkBody({ personIds: [] }), 'personIds')],
  ['personIds duplicated', bulk((b) => bulkBody({ personIds: [b.personId, b.personId] })(b), 'personIds')],
  ['personIds with a non-UUID', bulk((b) => bulkBody({ personIds: [b.personId, 'x'] })(b), 'personIds')],
  ['personIds null', bulk(bulkBody({ personIds: null }), 'personIds')],
  ['personIds a single UUID string', bulk((b) => bulkBody({ personIds: b.personId })(b), 'personIds')],
  ['personIds of 1001 entries', bulk((b) => bulkBody({ personIds: [b.personId, ...Array.from({ length: 1000 }, () => randomUUID())] })(b), 'personIds')],
  ['unknown property status', bulk(bulkBody({ status: 'held' }), 'status')],
  ['malformed JSON', { ...bulk(() => undefined, 'body'), raw: (b) => `{"locationId": "${b.locationId}", ` }],
];

describe('booking routes: bad input is 400 and writes nothing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const state = (b: Business): Promise<Snapshot> => snapshot(t, [b.bizEntityId], [b.user.id, b.adminCaller.sub]);

  function send(b: Business, c: Case, headers: Record<string, string>): Promise<Response> {
    const path = c.path(b);
    const options = {
      token: c.as === 'user' ? b.user.token : b.adminCaller.token,
      headers: c.method === 'post' ? headers : {},
      ...(c.raw ? { rawBody: c.raw(b) } : {}),
      ...(!c.raw && c.body ? { body: c.body(b) } : {}),
    };
    return call(t, c.method, path, options);
  }

  async function expectRefused(c: Case): Promise<void> {
    const b = await business(t);
    const before = await state(b);
    const res = await send(b, c, key());
    expectValidationFailed(res, c.field);
    expect(await state(b)).toEqual(before);
  }

  describe.each([
    ['POST /v1/bookings', PUBLIC_HOLD],
    ['POST /v1/bookings/{id}/confirm|cancel, GET /v1/bookings/{id}', PUBLIC_CONFIRM_CANCEL_GET],
    ['GET /v1/bookings', PUBLIC_LIST],
    ['GET /v1/admin/bookings[/{id}]', ADMIN_LIST],
    ['POST /v1/admin/bookings', ADMIN_CREATE],
    ['POST /v1/admin/bookings/{id}/cancel|reschedule|complete|no-show', ADMIN_ACTIONS],
    ['POST /v1/admin/bookings/bulk-cancel', BULK_CANCEL],
  ])('%s', (_route, cases) => {
    it.each(cases)('%s', async (_name, c) => expectRefused(c));
  });

  describe('Idempotency-Key on public POSTs', () => {
    const PUBLIC_POSTS: [string, Case][] = [
      ['POST /v1/bookings', hold((b) => ({ slotId: b.slotIds[1] }), '')],
      ['POST /v1/bookings/{id}/confirm', userPost('confirm', '')],
      ['POST /v1/bookings/{id}/cancel', userPost('cancel', '', undefined, () => ({ reason: 'x' }))],
    ];

    it.each(PUBLIC_POSTS)('%s without the header is 400 IDEMPOTENCY_KEY_REQUIRED and writes nothing', async (_name, c) => {
      const b = await business(t);
      const before = await state(b);
      expectProblem(await send(b, c, {}), 'IDEMPOTENCY_KEY_REQUIRED');
      expect(await state(b)).toEqual(before);
    });

    const BAD_KEYS: [string, string][] = [
      ['256 characters', 'k'.repeat(256)],
      ['empty', ''],
      ['a tab inside', 'key\twith-tab'],
      ['a non-ASCII character', 'cl\u00e9'],
    ];
    const cases = PUBLIC_POSTS.flatMap(([name, c]) => BAD_KEYS.map(([what, value]) => [name, what, c, value] as const));

    it.each(cases)('%s with a key of %s is 400 IDEMPOTENCY_KEY_INVALID and writes nothing', async (_name, _what, c, value) => {
      const b = await business(t);
      const before = await state(b);
      expectProblem(await send(b, c, { 'Idempotency-Key': value }), 'IDEMPOTENCY_KEY_INVALID');
      expect(await state(b)).toEqual(before);
    });

    it.each(PUBLIC_POSTS)('%s accepts a key of exactly 255 printable characters, spaces included', async (_name, c) => {
      const b = await business(t);
      const res = await send(b, c, { 'Idempotency-Key': `a b~${'k'.repeat(251)}` });
      expect(res.status).toBe(c.path(b) === '/v1/bookings' ? 201 : 200);
    });
  });

  describe('Idempotency-Key on admin POSTs (honoured when sent)', () => {
    const ADMIN_POSTS: [string, Case][] = [
      ['POST /v1/admin/bookings', adminCreate((b) => ({ slotId: b.slotIds[1], userId: b.user.id }), '')],
      ['POST /v1/admin/bookings/{id}/cancel', adminPost('cancel', '', undefined, () => ({ reason: 'x' }))],
      ['POST /v1/admin/bookings/{id}/reschedule', adminPost('reschedule', '', undefined, (b) => ({ slotId: b.slotIds[2] }))],
      ['POST /v1/admin/bookings/{id}/complete', adminPost('complete', '', (b) => b.started)],
      ['POST /v1/admin/bookings/{id}/no-show', adminPost('no-show', '', (b) => b.started)],
      ['POST /v1/admin/bookings/bulk-cancel', bulk(bulkBody({}), '')],
    ];

    it.each(ADMIN_POSTS)('%s with a 256-character key is 400 IDEMPOTENCY_KEY_INVALID and writes nothing', async (_name, c) => {
      const b = await business(t);
      const before = await state(b);
      expectProblem(await send(b, c, { 'Idempotency-Key': 'k'.repeat(256) }), 'IDEMPOTENCY_KEY_INVALID');
      expect(await state(b)).toEqual(before);
    });

    it.each(ADMIN_POSTS)('%s works without a key, and writes no idempotency record', async (_name, c) => {
      const b = await business(t);
      const before = await state(b);
      const res = await send(b, c, {});
      expect(res.status).toBe(c.path(b) === '/v1/admin/bookings' ? 201 : 200);
      const after = await state(b);
      expect(after.idempotencyRecords).toBe(before.idempotencyRecords);
      expect(after.events).toBeGreaterThan(before.events);
    });
  });
});
