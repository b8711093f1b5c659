import { blackoutBody, createLocation, createPerson, createRule, createTenant, dayOffBody, overrideBody, RuleJson, Tenant, weeklyBody } from '../../factories/catalogue';
import { countRows } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';
import { ADMIN_RULES, anInstant, aUuid, backdate, inListOrder, Page, readRuleRow, UNKNOWN_ID } from '../people/people-helpers';
import { expectedRow } from './rule-helpers';
import { expectProblem } from '../../utils/problem';

describe('admin availability rules', () => {
  let t: TestApp;
  let tenant: Tenant;
  let personId: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    tenant = await createTenant(t);
    personId = tenant.person.id;
  });

  /** The fields every rule response has besides its own. */
  const envelope = (): Record<string, unknown> => ({
    id: aUuid(),
    personId,
    locationId: tenant.locationId,
    active: true,
    createdAt: anInstant(),
    updatedAt: anInstant(),
  });

  describe('POST /v1/admin/availability-rules', () => {
    it.each<[string, () => Record<string, unknown>, () => Record<string, unknown>]>([
      [
        'a weekly rule, with bufferMinutes 0 and capacity 1 by default and weekdays in order',
        () => weeklyBody(personId, { weekdays: [5, 1, 3] }),
        () => ({ kind: 'weekly', weekdays: [1, 3, 5], startTime: '09:00', endTime: '17:00', slotMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, bufferMinutes: 0, capacity: 1 }),
      ],
      [
        'a weekly rule with every optional field, ending at 24:00',
        () =>
          weeklyBody(personId, {
            weekdays: [6, 7],
            startTime: '18:00',
            endTime: '24:00',
            slotMinutes: 45,
            bufferMinutes: 15,
            capacity: 10000,
            validFrom: '2027-01-01',
            validUntil: '2027-12-31',
          }),
        () => ({
          kind: 'weekly',
          weekdays: [6, 7],
          startTime: '18:00',
          endTime: '24:00',
          slotMinutes: 45,
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 15,
          bufferMinutes: 15,
          capacity: 10000,
          validFrom: '2027-01-01',
          validUntil: '2027-12-31',
        }),
      ],
      [
        'a weekly rule with buffers before and after',
        () => weeklyBody(personId, { slotMinutes: 40, bufferBeforeMinutes: 5, bufferAfterMinutes: 15 }),
        () => ({
          kind: 'weekly',
          weekdays: [1, 3, 5],
          startTime: '09:00',
          endTime: '17:00',
          slotMinutes: 40,
          bufferBeforeMinutes: 5,
          bufferAfterMinutes: 15,
          bufferMinutes: 15,
          capacity: 1,
        }),
      ],
      [
        'a weekly rule naming the after-buffer twice, with the same value',
        () => weeklyBody(personId, { bufferMinutes: 10, bufferAfterMinutes: 10 }),
        () => ({
          kind: 'weekly',
          weekdays: [1, 3, 5],
          startTime: '09:00',
          endTime: '17:00',
          slotMinutes: 30,
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 10,
          bufferMinutes: 10,
          capacity: 1,
        }),
      ],
      [
        'an override with buffers (the old name absent)',
        () => overrideBody(personId, { bufferBeforeMinutes: 10, bufferAfterMinutes: 0 }),
        () => ({
          kind: 'override',
          date: '2027-03-10',
          startTime: '10:00',
          endTime: '14:00',
          slotMinutes: 20,
          bufferBeforeMinutes: 10,
          bufferAfterMinutes: 0,
          bufferMinutes: 0,
          capacity: 1,
        }),
      ],
      [
        'an override with times (defaults apply)',
        () => overrideBody(personId),
        () => ({ kind: 'override', date: '2027-03-10', startTime: '10:00', endTime: '14:00', slotMinutes: 20, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, bufferMinutes: 0, capacity: 1 }),
      ],
      [
        'an override with times, buffer and capacity',
        () => overrideBody(personId, { slotMinutes: 1440, startTime: '00:00', endTime: '24:00', bufferMinutes: 1440, capacity: 3 }),
        () => ({ kind: 'override', date: '2027-03-10', startTime: '00:00', endTime: '24:00', slotMinutes: 1440, bufferBeforeMinutes: 0, bufferAfterMinutes: 1440, bufferMinutes: 1440, capacity: 3 }),
      ],
      ['an override without times (a day off)', () => dayOffBody(personId), () => ({ kind: 'override', date: '2027-03-11', bufferBeforeMinutes: 0, bufferAfterMinutes: 0, bufferMinutes: 0, capacity: 1 })],
      [
        'a blackout of whole days',
        () => blackoutBody(personId),
        () => ({ kind: 'blackout', startDate: '2027-04-01', endDate: '2027-04-03' }),
      ],
      [
        'a blackout of one day with times',
        () => blackoutBody(personId, { endDate: '2027-04-01', startTime: '12:00', endTime: '13:30' }),
        () => ({ kind: 'blackout', startDate: '2027-04-01', endDate: '2027-04-01', startTime: '12:00', endTime: '13:30' }),
      ],
    ])('creates %s', async (_label, request, expected) => {
      const res = await t.api.post(ADMIN_RULES, { token: tenant.admin, body: request() });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ ...envelope(), ...expected() });
      const rule = res.body as RuleJson;
      expect(await readRuleRow(t.db, rule.id)).toEqual(expectedRow(rule, tenant.biz));

      const read = await t.api.get(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(rule);
    });

    it('stores the exact row of a weekly rule', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId, { validFrom: '2027-02-01' }));
      expect(await readRuleRow(t.db, rule.id)).toEqual({
        id: rule.id,
        biz_entity_id: tenant.biz,
        location_id: tenant.locationId,
        person_id: personId,
        kind: 'weekly',
        weekdays: [1, 3, 5],
        date: null,
        start_date: null,
        end_date: null,
        start_time: '09:00:00',
        end_time: '17:00:00',
        slot_minutes: 30,
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        capacity: 1,
        valid_from: '2027-02-01',
        valid_until: null,
        active: true,
        created_at: rule.createdAt,
        updated_at: rule.updatedAt,
      });
    });

    it('answers 404 for a person that does not exist, and writes nothing', async () => {
      expectProblem(await t.api.post(ADMIN_RULES, { token: tenant.admin, body: weeklyBody(UNKNOWN_ID) }), 'NOT_FOUND', 'The person was not found.');
      expect(await countRows(t.db, 'scheduler.availability_rules', 'biz_entity_id = $1', [tenant.biz])).toBe(0);
    });
  });

  describe('GET /v1/admin/availability-rules', () => {
    it('filters by personId and by locationId', async () => {
      const colleague = await createPerson(t, tenant.admin, { locationId: tenant.locationId, name: 'Colleague' });
      const otherLocation = (await createLocation(t, tenant.admin, tenant.biz)).id;
      const elsewhere = await createPerson(t, tenant.admin, { locationId: otherLocation, name: 'Elsewhere' });

      const mine = await createRule(t, tenant.admin, weeklyBody(personId));
      const myBlackout = await createRule(t, tenant.admin, blackoutBody(personId));
      const theirs = await createRule(t, tenant.admin, weeklyBody(colleague.id));
      const far = await createRule(t, tenant.admin, dayOffBody(elsewhere.id));

      const byPerson = await t.api.get(`${ADMIN_RULES}?personId=${personId}`, { token: tenant.admin });
      expect(byPerson.status).toBe(200);
      expect(byPerson.body).toEqual({ data: inListOrder([mine, myBlackout]), nextCursor: null });

      const byLocation = await t.api.get(`${ADMIN_RULES}?locationId=${tenant.locationId}`, { token: tenant.admin });
      expect(byLocation.status).toBe(200);
      expect(byLocation.body).toEqual({ data: inListOrder([mine, myBlackout, theirs]), nextCursor: null });

      const both = await t.api.get(`${ADMIN_RULES}?locationId=${otherLocation}&personId=${elsewhere.id}`, { token: tenant.admin });
      expect(both.status).toBe(200);
      expect(both.body).toEqual({ data: [far], nextCursor: null });

      const mismatch = await t.api.get(`${ADMIN_RULES}?locationId=${otherLocation}&personId=${personId}`, { token: tenant.admin });
      expect(mismatch.status).toBe(200);
      expect(mismatch.body).toEqual({ data: [], nextCursor: null });

      const all = await t.api.get(ADMIN_RULES, { token: tenant.admin });
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ data: inListOrder([mine, myBlackout, theirs, far]), nextCursor: null });
    });

    it('pages with limit and cursor', async () => {
      const created = [
        await createRule(t, tenant.admin, weeklyBody(personId, { weekdays: [1] })),
        await createRule(t, tenant.admin, weeklyBody(personId, { weekdays: [2] })),
        await createRule(t, tenant.admin, weeklyBody(personId, { weekdays: [3] })),
      ];
      const first = await t.api.get(`${ADMIN_RULES}?personId=${personId}&limit=2`, { token: tenant.admin });
      expect(first.status).toBe(200);
      const page1 = first.body as Page<RuleJson>;
      expect(page1.data).toEqual(inListOrder(created).slice(0, 2));
      expect(typeof page1.nextCursor).toBe('string');

      const second = await t.api.get(`${ADMIN_RULES}?personId=${personId}&limit=2&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`, {
        token: tenant.admin,
      });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ data: inListOrder(created).slice(2), nextCursor: null });
    });

    it('filters by active', async () => {
      const kept = await createRule(t, tenant.admin, weeklyBody(personId));
      const gone = await createRule(t, tenant.admin, blackoutBody(personId));
      expect((await t.api.delete(`${ADMIN_RULES}/${gone.id}`, { token: tenant.admin })).status).toBe(204);

      const active = await t.api.get(`${ADMIN_RULES}?personId=${personId}&active=true`, { token: tenant.admin });
      expect(active.status).toBe(200);
      expect((active.body as Page<RuleJson>).data.map((r) => r.id)).toEqual([kept.id]);

      const deleted = await t.api.get(`${ADMIN_RULES}?personId=${personId}&active=false`, { token: tenant.admin });
      expect(deleted.status).toBe(200);
      expect((deleted.body as Page<RuleJson>).data.map((r) => [r.id, r.active])).toEqual([[gone.id, false]]);
    });
  });

  describe('GET /v1/admin/availability-rules/{id}', () => {
    it('answers 404 for an unknown id', async () => {
      expectProblem(await t.api.get(`${ADMIN_RULES}/${UNKNOWN_ID}`, { token: tenant.admin }), 'NOT_FOUND', 'The availability rule was not found.');
    });
  });

  describe('PATCH /v1/admin/availability-rules/{id}', () => {
    it('changes the times and keeps every other field', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId, { bufferMinutes: 5, capacity: 2, validFrom: '2027-01-01' }));
      await backdate(t.db, 'availability_rules', rule.id);
      const before = await readRuleRow(t.db, rule.id);

      const res = await t.api.patch(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin, body: { startTime: '08:00', endTime: '12:30' } });
      expect(res.status).toBe(200);
      const updated = res.body as RuleJson;
      expect(updated).toEqual({ ...rule, startTime: '08:00', endTime: '12:30', createdAt: before?.created_at, updatedAt: anInstant() });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(before?.updated_at ?? ''));
      expect(await readRuleRow(t.db, rule.id)).toEqual({
        ...before,
        start_time: '08:00:00',
        end_time: '12:30:00',
        updated_at: updated.updatedAt,
      });
    });

    it('clears validUntil with null and keeps validFrom', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId, { validFrom: '2027-01-01', validUntil: '2027-06-30' }));
      const res = await t.api.patch(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin, body: { validUntil: null } });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('validUntil');
      const { validUntil: _validUntil, ...rest } = rule;
      expect(res.body).toEqual({ ...rest, updatedAt: anInstant() });
      expect(await readRuleRow(t.db, rule.id)).toMatchObject({ valid_from: '2027-01-01', valid_until: null });
    });

    it('clears validFrom with null and sets validUntil in the same call', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId, { validFrom: '2027-01-01' }));
      const res = await t.api.patch(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin, body: { validFrom: null, validUntil: '2027-03-31' } });
      expect(res.status).toBe(200);
      const { validFrom: _validFrom, ...rest } = rule;
      expect(res.body).toEqual({ ...rest, validUntil: '2027-03-31', updatedAt: anInstant() });
      expect(await readRuleRow(t.db, rule.id)).toMatchObject({ valid_from: null, valid_until: '2027-03-31' });
    });

    it('changes weekdays, slot size, buffer and capacity of a weekly rule', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId));
      const res = await t.api.patch(`${ADMIN_RULES}/${rule.id}`, {
        token: tenant.admin,
        body: { weekdays: [7, 2], slotMinutes: 60, bufferMinutes: 10, capacity: 4 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...rule, weekdays: [2, 7], slotMinutes: 60, bufferAfterMinutes: 10, bufferMinutes: 10, capacity: 4, updatedAt: anInstant() });
      expect(await readRuleRow(t.db, rule.id)).toMatchObject({ weekdays: [2, 7], slot_minutes: 60, buffer_before_minutes: 0, buffer_after_minutes: 10, capacity: 4 });
    });

    it('changes either buffer alone and keeps the other; the old name changes the after-buffer', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId, { bufferBeforeMinutes: 5, bufferAfterMinutes: 10 }));
      const patch = (body: Record<string, unknown>) => t.api.patch(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin, body });

      const before = await patch({ bufferBeforeMinutes: 15 });
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ bufferBeforeMinutes: 15, bufferAfterMinutes: 10, bufferMinutes: 10 });
      const renamed = await patch({ bufferMinutes: 20 });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ bufferBeforeMinutes: 15, bufferAfterMinutes: 20, bufferMinutes: 20 });
      const both = await patch({ bufferMinutes: 0, bufferAfterMinutes: 0 });
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({ bufferBeforeMinutes: 15, bufferAfterMinutes: 0, bufferMinutes: 0 });
      expect(await readRuleRow(t.db, rule.id)).toMatchObject({ buffer_before_minutes: 15, buffer_after_minutes: 0 });
    });

    it('gives a day-off override times, with the same defaults a timed override is created with', async () => {
      const rule = await createRule(t, tenant.admin, dayOffBody(personId));
      const res = await t.api.patch(`${ADMIN_RULES}/${rule.id}`, {
        token: tenant.admin,
        body: { startTime: '09:00', endTime: '11:00', slotMinutes: 30 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...rule,
        startTime: '09:00',
        endTime: '11:00',
        slotMinutes: 30,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        bufferMinutes: 0,
        capacity: 1,
        updatedAt: anInstant(),
      });
      expect(await readRuleRow(t.db, rule.id)).toMatchObject({
        start_time: '09:00:00',
        end_time: '11:00:00',
        slot_minutes: 30,
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        capacity: 1,
      });
    });

    it('moves a blackout and gives it times', async () => {
      const rule = await createRule(t, tenant.admin, blackoutBody(personId));
      const res = await t.api.patch(`${ADMIN_RULES}/${rule.id}`, {
        token: tenant.admin,
        body: { startDate: '2027-05-01', endDate: '2027-05-02', startTime: '13:00', endTime: '24:00' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...rule, startDate: '2027-05-01', endDate: '2027-05-02', startTime: '13:00', endTime: '24:00', updatedAt: anInstant() });
      expect(await readRuleRow(t.db, rule.id)).toMatchObject({ start_date: '2027-05-01', end_date: '2027-05-02', start_time: '13:00:00', end_time: '24:00:00' });
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await t.api.patch(`${ADMIN_RULES}/${UNKNOWN_ID}`, { token: tenant.admin, body: { startTime: '08:00' } }), 'NOT_FOUND', 'The availability rule was not found.');
    });
  });

  describe('DELETE /v1/admin/availability-rules/{id}', () => {
    it('soft-deletes: 204, the row stays with active=false', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId));
      const res = await t.api.delete(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      const row = await readRuleRow(t.db, rule.id);
      expect(row).toEqual({ ...expectedRow(rule, tenant.biz), active: false, updated_at: row?.updated_at });
      const read = await t.api.get(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin });
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ ...rule, active: false, updatedAt: row?.updated_at });
    });

    it('frees the window for a new rule', async () => {
      const rule = await createRule(t, tenant.admin, weeklyBody(personId));
      expect((await t.api.delete(`${ADMIN_RULES}/${rule.id}`, { token: tenant.admin })).status).toBe(204);
      const again = await t.api.post(ADMIN_RULES, { token: tenant.admin, body: weeklyBody(personId) });
      expect(again.status).toBe(201);
    });

    it('answers 404 for an unknown id', async () => {
      expectProblem(await t.api.delete(`${ADMIN_RULES}/${UNKNOWN_ID}`, { token: tenant.admin }), 'NOT_FOUND', 'The availability rule was not found.');
    });
  });
});
