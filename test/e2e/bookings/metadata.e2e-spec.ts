import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { startTestApp, TestApp } from '../../utils/test-app';
import { expectProblem, expectValidationFields, expectValidationProblem } from '../../utils/problem';
import { BAD_METADATA, BAD_METADATA_CHANGE, BAD_STORED_METADATA, metadataKeys } from '../../utils/metadata-cases';
import { Business, business, key, newUser } from '../../factories/bookings';
import { snapshot, wideRange } from './matrix-helpers';


/**
 * Metadata on bookings (issue 16, item 2): set by users on their holds and by operators on
 * their bookings, changed only by operators (PATCH /v1/admin/bookings/{id}: keys merge, null
 * removes one), shown on every view, and a filter of the admin list.
 */
describe('booking metadata', () => {
  let t: TestApp;
  let b: Business;
  let other: Business;

  beforeAll(async () => {
    t = await startTestApp();
    b = await business(t, { slots: 6, capacity: 20 });
    other = await business(t, { capacity: 20 });
  });
  afterAll(() => t.close());

  const admin = (): { token: string } => ({ token: b.adminCaller.token });
  const patch = (id: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    t.api.patch(`/v1/admin/bookings/${id}`, { ...admin(), body, headers });

  /** A confirmed booking made by the operator for a new user (so slots never collide), with this metadata. */
  async function booked(metadata?: Record<string, unknown>, at: Business = b, slot = 1): Promise<string> {
    const user = await newUser(t);
    const res = await t.api.post('/v1/admin/bookings', {
      token: at.adminCaller.token,
      body: { slotId: at.slotIds[slot], userId: user.id, ...(metadata ? { metadata } : {}) },
      headers: key(),
    });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${res.text}`);
    return res.body.id as string;
  }

  const outboxOf = async (id: string): Promise<number> =>
    ((await t.db.query('SELECT count(*)::int AS n FROM scheduler.outbox_events WHERE booking_id = $1', [id])) as { n: number }[])[0].n;
  const stored = async (id: string): Promise<Record<string, string>> =>
    ((await t.db.query('SELECT metadata FROM scheduler.bookings WHERE id = $1', [id])) as { metadata: Record<string, string> }[])[0].metadata;

  describe('set on create', () => {
    it('a user sets it on a hold; they and operators read it on every view, and the event carries it', async () => {
      const hold = await t.api.post('/v1/bookings', { token: b.user.token, body: { slotId: b.slotIds[2], metadata: { orderRef: 'W-1187', channel: 'web' } }, headers: key() });
      expect(hold.status).toBe(201);
      expect(hold.body.metadata).toEqual({ orderRef: 'W-1187', channel: 'web' });
      for (const [path, token] of [
        [`/v1/bookings/${hold.body.id}`, b.user.token],
        [`/v1/admin/bookings/${hold.body.id}`, b.adminCaller.token],
      ]) {
        expect((await t.api.get(path, { token })).body).toEqual(hold.body);
      }
      const listed = await t.api.get('/v1/bookings?limit=200', { token: b.user.token });
      expect(listed.body.data.find((row: { id: string }) => row.id === hold.body.id)).toEqual(hold.body);
      const [event] = (await t.db.query(`SELECT data FROM scheduler.outbox_events WHERE booking_id = $1`, [hold.body.id])) as { data: { booking: unknown } }[];
      expect(event.data.booking).toEqual(hold.body);
      await t.api.post(`/v1/bookings/${hold.body.id}/cancel`, { token: b.user.token, headers: key() });
    });

    it('an operator sets it when booking on a user\'s behalf; none set reads {}', async () => {
      const id = await booked({ crmId: 'C-20931' });
      expect((await t.api.get(`/v1/admin/bookings/${id}`, admin())).body.metadata).toEqual({ crmId: 'C-20931' });
      await patch(id, { metadata: { crmId: null } });
      expect((await t.api.get(`/v1/admin/bookings/${id}`, admin())).body.metadata).toEqual({});
      await t.api.post(`/v1/admin/bookings/${id}/cancel`, { ...admin(), body: { reason: 'done' } });
      expect((await t.api.get(`/v1/bookings/${b.held}`, { token: b.user.token })).body.metadata).toEqual({});
    });
  });

  describe('PATCH /v1/admin/bookings/{id}', () => {
    let id: string;
    beforeEach(async () => {
      id = await booked({ a: '1', b: '2' });
    });
    afterEach(async () => {
      await t.api.post(`/v1/admin/bookings/${id}/cancel`, { ...admin(), body: { reason: 'next test' } });
    });

    it('merges keys, removes those sent as null, answers the new ETag and changes nothing else', async () => {
      const before = await t.api.get(`/v1/admin/bookings/${id}`, admin());
      const res = await patch(id, { metadata: { b: null, c: '3', a: 'one' } }, { 'If-Match': before.headers.etag });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...before.body, metadata: { a: 'one', c: '3' } });
      expect(res.headers.etag).toBe(`"${Number(JSON.parse(before.headers.etag)) + 1}"`);
      expect(await stored(id)).toEqual({ a: 'one', c: '3' });
    });

    it('sets and removes the notes; an empty metadata change keeps the metadata', async () => {
      expect((await patch(id, { notes: 'Prefers the ground-floor room', metadata: {} })).body).toMatchObject({ notes: 'Prefers the ground-floor room', metadata: { a: '1', b: '2' } });
      const cleared = await patch(id, { notes: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).not.toHaveProperty('notes');
    });

    it('writes one history entry naming the fields, an audit row, and no event', async () => {
      const events = await outboxOf(id);
      const requestId = randomUUID();
      expect((await patch(id, { metadata: { c: '3' }, notes: 'called back' }, { 'X-Request-Id': requestId })).status).toBe(200);
      const history = await t.api.get(`/v1/admin/bookings/${id}/history`, admin());
      expect(history.body.data.at(-1)).toEqual({
        at: expect.any(String),
        actor: 'admin',
        actorId: b.adminCaller.sub,
        fromStatus: 'confirmed',
        toStatus: 'confirmed',
        changed: ['metadata', 'notes'],
      });
      expect(await outboxOf(id)).toBe(events);
      const audit = (await t.db.query(`SELECT action, target_type, target_id, before, after FROM scheduler.audit_log WHERE request_id = $1`, [requestId])) as unknown[];
      expect(audit).toEqual([
        {
          action: 'PATCH /v1/admin/bookings/{id}',
          target_type: 'booking',
          target_id: id,
          before: { 'metadata.c': null, notes: null },
          after: { 'metadata.c': '3', notes: 'called back' },
        },
      ]);
    });

    it('holds at most 50 keys across merges: past that it is 400 naming metadata and nothing changes', async () => {
      expect((await patch(id, { metadata: metadataKeys(48) })).status).toBe(200);
      const before = await snapshot(t, [b.bizEntityId]);
      expectValidationProblem(await patch(id, { metadata: { x: '1' }, notes: 'not this either' }), [
        { field: 'metadata', message: 'must have at most 50 keys once the change is merged' },
      ]);
      expect(await snapshot(t, [b.bizEntityId])).toEqual(before);
      // Removals in the same change count first: 50 exactly.
      const res = await patch(id, { metadata: { a: null, x: '1' } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.metadata)).toHaveLength(50);
    });

    it('annotates a booking in any status: a cancelled one, for reconciliation', async () => {
      await t.api.post(`/v1/admin/bookings/${id}/cancel`, { ...admin(), body: { reason: 'ill' } });
      const res = await patch(id, { metadata: { refund: 'R-77' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'cancelled', metadata: { a: '1', b: '2', refund: 'R-77' } });
    });

    it('412 on a stale If-Match, changing nothing', async () => {
      const before = await snapshot(t, [b.bizEntityId]);
      expectProblem(await patch(id, { metadata: { c: '3' } }, { 'If-Match': '"999"' }), 'PRECONDITION_FAILED');
      expect(await snapshot(t, [b.bizEntityId])).toEqual(before);
    });

    it('replays with the same Idempotency-Key: one change, one history entry', async () => {
      const headers = key();
      const first = await patch(id, { metadata: { c: '3' } }, headers);
      const again = await patch(id, { metadata: { c: '3' } }, headers);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect({ body: again.body, etag: again.headers.etag }).toEqual({ body: first.body, etag: first.headers.etag });
      const history = await t.api.get(`/v1/admin/bookings/${id}/history`, admin());
      expect(history.body.data.filter((entry: { changed?: string[] }) => entry.changed)).toHaveLength(1);
    });

    it('moves keep the metadata (operator and self-service reschedule)', async () => {
      const user = await newUser(t);
      const hold = await t.api.post('/v1/bookings', { token: user.token, body: { slotId: b.slotIds[2], metadata: { a: '1' } }, headers: key() });
      const moved = await t.api.post(`/v1/admin/bookings/${hold.body.id}/reschedule`, { ...admin(), body: { slotId: b.slotIds[3] } });
      expect(moved.body).toMatchObject({ slotId: b.slotIds[3], metadata: { a: '1' } });
      const own = await t.api.post(`/v1/bookings/${hold.body.id}/reschedule`, { token: user.token, body: { slotId: b.slotIds[4] }, headers: key() });
      expect(own.body).toMatchObject({ slotId: b.slotIds[4], metadata: { a: '1' } });
    });
  });

  describe('who may PATCH', () => {
    it('404 for a booking of another business and for an unknown id; 403 for a viewer; the user API has no PATCH', async () => {
      const theirs = await booked({ a: '1' }, other);
      const before = await snapshot(t, [b.bizEntityId, other.bizEntityId]);
      expectProblem(await patch(theirs, { metadata: { a: '2' } }), 'NOT_FOUND', 'The booking was not found.');
      expectProblem(await patch(randomUUID(), { metadata: { a: '2' } }), 'NOT_FOUND', 'The booking was not found.');
      expectProblem(await t.api.patch(`/v1/admin/bookings/${b.held}`, { token: b.viewer.token, body: { notes: 'x' } }), 'FORBIDDEN');
      const userPatch = await t.api.patch(`/v1/bookings/${b.held}`, { token: b.user.token, body: { metadata: { a: '2' } } });
      expect(userPatch.status).toBe(404);
      expect(await snapshot(t, [b.bizEntityId, other.bizEntityId])).toEqual(before);
    });
  });

  describe('bad input is 400 naming the key, and writes nothing', () => {
    // The body pipeline refuses prototype keys before validation, naming them too.
    const BAD = [...BAD_METADATA, ['a prototype key', JSON.parse('{"__proto__": "x"}'), 'metadata.__proto__'] as [string, unknown, string]];

    async function expectRefused(send: () => Promise<Response>, field: string): Promise<void> {
      const before = await snapshot(t, [b.bizEntityId], [b.user.id, b.adminCaller.sub]);
      expectValidationFields(await send(), [field]);
      expect(await snapshot(t, [b.bizEntityId], [b.user.id, b.adminCaller.sub])).toEqual(before);
    }

    it.each([...BAD, ...BAD_STORED_METADATA])('on a hold: %s', async (_, metadata, field) => {
      await expectRefused(() => t.api.post('/v1/bookings', { token: b.user.token, body: { slotId: b.slotIds[5], metadata }, headers: key() }), field);
    });

    it.each([...BAD, ...BAD_STORED_METADATA])('on an operator booking: %s', async (_, metadata, field) => {
      await expectRefused(
        () => t.api.post('/v1/admin/bookings', { ...admin(), body: { slotId: b.slotIds[5], userId: b.user.id, metadata }, headers: key() }),
        field,
      );
    });

    it.each([...BAD, ...BAD_METADATA_CHANGE])('on PATCH: %s', async (_, metadata, field) => {
      await expectRefused(() => patch(b.held, { metadata }), field);
    });

    it.each([
      ['an empty body', {}, 'body'],
      ['notes of 2001 characters', { notes: 'n'.repeat(2001) }, 'notes'],
      ['notes a number', { notes: 5 }, 'notes'],
      ['an unknown field status', { status: 'cancelled' }, 'status'],
    ])('on PATCH: %s', async (_, body, field) => {
      await expectRefused(() => patch(b.held, body), field);
    });

    it('names the key in the message', async () => {
      expectValidationProblem(await patch(b.held, { metadata: { ok: 'x', colour: 7 } }), [
        { field: 'metadata.colour', message: 'must be a string of at most 500 characters, or null to remove the key' },
      ]);
    });
  });

  describe('GET /v1/admin/bookings?metadata[key]=value', () => {
    let mine: string;
    let theirs: string;
    let unrelated: string;
    const tag = randomUUID();

    beforeAll(async () => {
      mine = await booked({ crmId: tag, channel: 'phone' }, b, 1);
      unrelated = await booked({ crmId: `${tag}-other` }, b, 2);
      theirs = await booked({ crmId: tag }, other, 1);
    });

    const list = (query: string, token = b.adminCaller.token): Promise<Response> => t.api.get(`/v1/admin/bookings?${query}`, { token });

    it("lists only the caller's bookings holding exactly that pair", async () => {
      const res = await list(`metadata[crmId]=${tag}&limit=200`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((row: { id: string }) => row.id)).toEqual([mine]);
      expect((await list(`metadata%5BcrmId%5D=${tag}`)).body.data.map((row: { id: string }) => row.id)).toEqual([mine]);
      const { from, to } = wideRange();
      const combined = await list(`metadata[channel]=phone&status=confirmed&locationId=${b.locationId}&from=${from}&to=${to}`);
      expect(combined.body.data.map((row: { id: string }) => row.id)).toEqual([mine]);
      expect((await list(`metadata[crmId]=${tag.slice(0, 8)}`)).body.data).toEqual([]);
      // Without the filter both are listed: the filter is what left the other one out.
      expect((await list('limit=200')).body.data.map((row: { id: string }) => row.id)).toEqual(expect.arrayContaining([mine, unrelated]));
    });

    it('another business sees its own match only', async () => {
      const res = await list(`metadata[crmId]=${tag}`, other.adminCaller.token);
      expect(res.body.data.map((row: { id: string }) => row.id)).toEqual([theirs]);
    });

    it.each([
      ['two pairs', `metadata[crmId]=${tag}&metadata[channel]=phone`, 'metadata'],
      ['the key twice', 'metadata[crmId]=a&metadata[crmId]=b', 'metadata.crmId'],
      ['no key', 'metadata=phone', 'metadata'],
      ['an empty key', 'metadata[]=phone', 'metadata.'],
      ['a key of 41 characters', `metadata[${'k'.repeat(41)}]=x`, `metadata.${'k'.repeat(41)}`],
      ['a nested key', 'metadata[a][b]=x', 'metadata[a][b]'],
      ['a prototype key', 'metadata[__proto__]=x', 'metadata[__proto__]'],
    ])('400 for %s', async (_, query, field) => {
      expectValidationFields(await list(query), [field]);
    });

    it('is an admin filter: the user list and other lists refuse it', async () => {
      expectValidationFields(await t.api.get(`/v1/bookings?metadata[crmId]=${tag}`, { token: b.user.token }), ['metadata']);
      expectValidationFields(await t.api.get('/v1/admin/locations?metadata[site]=x', admin()), ['metadata']);
    });

    it('is answered from the GIN index on metadata (containment)', async () => {
      const runner = t.db.createQueryRunner();
      try {
        await runner.startTransaction();
        await runner.query('SET LOCAL enable_seqscan = off');
        const plan = (await runner.query(`EXPLAIN SELECT id FROM scheduler.bookings b WHERE b.metadata @> $1::jsonb`, [JSON.stringify({ crmId: tag })])) as {
          'QUERY PLAN': string;
        }[];
        expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('bookings_metadata_idx');
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });
});
