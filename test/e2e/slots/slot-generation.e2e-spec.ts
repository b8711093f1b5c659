import { countRows, createUser } from '../../factories/factories';
import { startTestApp, TestApp } from '../../utils/test-app';
import { createRule, createTenant } from '../../factories/catalogue';

const GENERATE = '/v1/admin/slot-generations';
const RULES = '/v1/admin/availability-rules';

describe('POST /v1/admin/slot-generations', () => {
  let t: TestApp;
  let admin: string;
  let locationId: string;
  let personId: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function setUp(timezone = 'Asia/Dubai'): Promise<void> {
    ({ admin, locationId, personId } = await createTenant(t, { timezone, person: { name: 'Rana' } }));
  }

  const addRule = async (body: Record<string, unknown>): Promise<string> => (await createRule(t, admin, { personId, ...body })).id;
  const generate = (from: string, to: string, extra: Record<string, unknown> = {}) =>
    t.api.post(GENERATE, { token: admin, body: { locationId, from, to, ...extra } });
  const liveSlots = async (): Promise<{ starts_at: Date; ends_at: Date; local_start: string; capacity: number; status: string }[]> =>
    t.db.query(
      `SELECT starts_at, ends_at, local_start, capacity, status FROM scheduler.slot_instances
        WHERE person_id = $1 AND status <> 'retired' ORDER BY starts_at`,
      [personId],
    );

  /** Until a statement like `pattern` waits for a lock in this database. */
  async function untilWaitingForLock(pattern: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [pattern],
      );
      if (n > 0) return;
      if (Date.now() > deadline) throw new Error(`no statement like ${pattern} waited for a lock`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeEach(() => setUp());

  it('materialises the weekly windows in the location zone, and a second run changes nothing', async () => {
    // Mondays 09:00–11:00 Dubai (UTC+4), 30-minute slots with a 10-minute buffer.
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 30, bufferMinutes: 10, capacity: 3 });
    const first = await generate('2027-01-04', '2027-01-17');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 6, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] });
    const slots = await liveSlots();
    expect(slots.map((s) => [s.starts_at.toISOString(), s.ends_at.toISOString(), s.local_start])).toEqual([
      ['2027-01-04T05:00:00.000Z', '2027-01-04T05:30:00.000Z', '2027-01-04T09:00'],
      ['2027-01-04T05:40:00.000Z', '2027-01-04T06:10:00.000Z', '2027-01-04T09:40'],
      ['2027-01-04T06:20:00.000Z', '2027-01-04T06:50:00.000Z', '2027-01-04T10:20'],
      ['2027-01-11T05:00:00.000Z', '2027-01-11T05:30:00.000Z', '2027-01-11T09:00'],
      ['2027-01-11T05:40:00.000Z', '2027-01-11T06:10:00.000Z', '2027-01-11T09:40'],
      ['2027-01-11T06:20:00.000Z', '2027-01-11T06:50:00.000Z', '2027-01-11T10:20'],
    ]);
    expect(new Set(slots.map((s) => s.capacity))).toEqual(new Set([3]));

    const second = await generate('2027-01-04', '2027-01-17');
    expect(second.body).toEqual({ created: 0, updated: 0, retired: 0, unchanged: 6, conflicts: [], skipped: [] });
  });

  it('applies rule changes: retires what the rules no longer produce, creates what is new, resizes in place', async () => {
    const ruleId = await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 });
    await generate('2027-01-04', '2027-01-04');
    const patched = await t.api.patch(`${RULES}/${ruleId}`, { token: admin, body: { startTime: '10:00', endTime: '12:00', capacity: 2 } });
    expect(patched.status).toBe(200);
    const report = await generate('2027-01-04', '2027-01-04');
    expect(report.body).toEqual({ created: 1, updated: 1, retired: 1, unchanged: 0, conflicts: [], skipped: [] });
    expect((await liveSlots()).map((s) => [s.local_start, s.capacity])).toEqual([
      ['2027-01-04T10:00', 2],
      ['2027-01-04T11:00', 2],
    ]);
    expect(await countRows(t.db, 'scheduler.slot_instances', "person_id = $1 AND status = 'retired'", [personId])).toBe(1);
  });

  it('reopens a retired slot that the rules produce again, and never reopens a blocked one', async () => {
    const ruleId = await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 });
    await generate('2027-01-04', '2027-01-04');
    const [first] = await t.db.query(`SELECT id FROM scheduler.slot_instances WHERE person_id = $1 ORDER BY starts_at LIMIT 1`, [personId]);
    const blocked = await t.api.patch(`/v1/admin/slots/${first.id}`, { token: admin, body: { status: 'blocked' } });
    expect(blocked.status).toBe(200);

    // Retired while blocked, produced again: the same slots come back, the blocked one blocked.
    await t.api.delete(`${RULES}/${ruleId}`, { token: admin });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ created: 0, retired: 2 });
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ created: 0, updated: 2, retired: 0 });
    expect((await liveSlots()).map((s) => s.status)).toEqual(['blocked', 'open']);

    // Reopened by the admin, retired and produced again: it comes back open.
    expect((await t.api.patch(`/v1/admin/slots/${first.id}`, { token: admin, body: { status: 'open' } })).status).toBe(200);
    const secondRule = (await t.db.query(`SELECT id FROM scheduler.availability_rules WHERE person_id = $1 AND active`, [personId]))[0].id;
    await t.api.delete(`${RULES}/${secondRule}`, { token: admin });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ retired: 2 });
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ created: 0, updated: 2 });
    expect((await liveSlots()).map((s) => s.status)).toEqual(['open', 'open']);

    // Blocked and still produced: generation leaves it blocked.
    await t.api.patch(`/v1/admin/slots/${first.id}`, { token: admin, body: { status: 'blocked' } });
    await t.api.post(RULES, { token: admin, body: { personId, kind: 'override', date: '2027-01-04', startTime: '09:00', endTime: '11:00', slotMinutes: 60, capacity: 4 } });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ updated: 2 });
    expect((await liveSlots()).map((s) => [s.status, s.capacity])).toEqual([
      ['blocked', 4],
      ['open', 4],
    ]);
  });

  it('follows DST: no slot in the spring-forward gap, instants exact around it (Europe/London)', async () => {
    await setUp('Europe/London');
    await addRule({ kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '03:00', slotMinutes: 60 });
    expect((await generate('2027-03-28', '2027-03-28')).body).toMatchObject({ created: 2 });
    expect((await liveSlots()).map((s) => [s.starts_at.toISOString(), s.local_start])).toEqual([
      ['2027-03-28T00:00:00.000Z', '2027-03-28T00:00'],
      ['2027-03-28T01:00:00.000Z', '2027-03-28T02:00'],
    ]);
  });

  it('leaves the people it was not asked about alone', async () => {
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 });
    const other = await t.api.post('/v1/admin/people', { token: admin, body: { locationId, name: 'Other' } });
    await t.api.post(RULES, { token: admin, body: { personId: other.body.id, kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 } });
    expect((await generate('2027-01-04', '2027-01-04', { personIds: [other.body.id] })).body).toMatchObject({ created: 2 });
    expect(await countRows(t.db, 'scheduler.slot_instances', 'person_id = $1', [personId])).toBe(0);
  });

  it('retires the slots of a deleted person', async () => {
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 30 });
    await generate('2027-01-04', '2027-01-04');
    await t.api.delete(`/v1/admin/people/${personId}`, { token: admin });
    expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ retired: 2 });
  });

  it('serialises concurrent runs for one location: no duplicates, no deadlock', async () => {
    await addRule({ kind: 'weekly', weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '18:00', slotMinutes: 20 });
    const runs = await Promise.all(Array.from({ length: 4 }, () => generate('2027-02-01', '2027-02-28')));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const created = runs.map((r) => r.body.created as number);
    expect(created.reduce((a, b) => a + b, 0)).toBe(20 * 30);
    expect(created.filter((n) => n > 0)).toHaveLength(1);
    expect(await countRows(t.db, 'scheduler.slot_instances', 'person_id = $1', [personId])).toBe(600);
  });

  it('keeps a slot that gained a booking while the run waited for its lock, and makes nothing that would overlap it', async () => {
    const ruleId = await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:30', endTime: '10:00', slotMinutes: 30 });
    await generate('2027-01-04', '2027-01-04');
    const [slot] = await t.db.query(`SELECT id, biz_entity_id, location_id FROM scheduler.slot_instances WHERE person_id = $1`, [personId]);
    // The rules now want 09:00–10:00, over the 09:30 slot, which the run will mean to retire.
    await t.api.patch(`${RULES}/${ruleId}`, { token: admin, body: { startTime: '09:00', slotMinutes: 60 } });

    // A booking in flight on that slot, as the hold path makes them: under the slot's row lock.
    const userId = await createUser(t.db);
    const booker = t.db.createQueryRunner();
    await booker.connect();
    await booker.startTransaction();
    await booker.query(`SELECT id FROM scheduler.slot_instances WHERE id = $1 FOR UPDATE`, [slot.id]);
    const [booking] = await booker.query(
      `INSERT INTO scheduler.bookings (biz_entity_id, location_id, person_id, slot_id, user_id, status, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, 'confirmed', now()) RETURNING id`,
      [slot.biz_entity_id, slot.location_id, personId, slot.id, userId],
    );
    const run = generate('2027-01-04', '2027-01-04').then((res) => res);
    try {
      // Commit only once the run waits for the slot's lock: it read the slot as free.
      await untilWaitingForLock('%slot_instances%FOR UPDATE%');
      await booker.commitTransaction();
    } finally {
      await booker.release();
    }

    const report = await run;
    expect(report.status).toBe(200);
    expect(report.body).toEqual({ created: 0, updated: 0, retired: 0, unchanged: 0, conflicts: [{ slotId: slot.id, bookingIds: [booking.id] }], skipped: [] });
    expect((await liveSlots()).map((s) => s.local_start)).toEqual(['2027-01-04T09:30']);
  });

  it('generates in the zone the location has when the run gets its lock, not the one it had when the request came', async () => {
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 60 });
    // Another run holds the location's generation lock.
    const other = t.db.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`SELECT pg_advisory_xact_lock(hashtextextended('slot-generation:' || $1, 0))`, [locationId]);
    const run = generate('2027-01-04', '2027-01-04').then((res) => res);
    try {
      await untilWaitingForLock('%pg_advisory_xact_lock%');
      const moved = await t.api.patch(`/v1/admin/locations/${locationId}`, { token: admin, body: { timezone: 'Europe/London' } });
      expect(moved.status).toBe(200);
      await other.commitTransaction();
    } finally {
      await other.release();
    }
    expect((await run).status).toBe(200);
    const [slot] = await t.db.query(`SELECT starts_at, local_start, timezone FROM scheduler.slot_instances WHERE person_id = $1`, [personId]);
    expect(slot).toEqual({ starts_at: new Date('2027-01-04T09:00:00Z'), local_start: '2027-01-04T09:00', timezone: 'Europe/London' });
  });

  describe('live slots just outside the dates of a run', () => {
    const havanaFold = async (): Promise<void> => {
      // America/Havana, 2026-11-01: clocks fall back at 01:00 to 00:00, so Saturday's 90-minute
      // 23:00 slot runs into Sunday, over Sunday's first 30-minute slot.
      await setUp('America/Havana');
      await addRule({ kind: 'weekly', weekdays: [6], startTime: '23:00', endTime: '24:00', slotMinutes: 90 });
      await addRule({ kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '02:00', slotMinutes: 30 });
    };
    const starts = async (): Promise<string[]> => (await liveSlots()).map((s) => s.starts_at.toISOString());

    it('a day at a time gives the slots one run over both days gives, and reports the slot in the way', async () => {
      await havanaFold();
      // One run over both days does not make Sunday's 00:00 slot, and says so.
      expect((await generate('2026-10-31', '2026-11-01')).body).toMatchObject({
        created: 4,
        conflicts: [],
        skipped: [{ localStart: '2026-11-01T00:00', overlapsStartsAt: '2026-11-01T03:00:00.000Z' }],
      });
      const together = await starts();
      await setUp('America/Havana');
      await havanaFold();

      expect((await generate('2026-10-31', '2026-10-31')).body).toMatchObject({ created: 1, conflicts: [], skipped: [] });
      const [saturday] = await t.db.query(`SELECT id FROM scheduler.slot_instances WHERE person_id = $1`, [personId]);
      const sunday = await generate('2026-11-01', '2026-11-01');
      expect(sunday.status).toBe(200);
      expect(sunday.body).toEqual({ created: 3, updated: 0, retired: 0, unchanged: 0, conflicts: [{ slotId: saturday.id, bookingIds: [] }], skipped: [] });
      expect(await starts()).toEqual(together);
      // And again: nothing changes.
      expect((await generate('2026-11-01', '2026-11-01')).body).toMatchObject({ created: 0, retired: 0, unchanged: 3 });
    });

    it('the other way round, the later day keeps its slot and the earlier one gives way', async () => {
      await havanaFold();
      expect((await generate('2026-11-01', '2026-11-01')).body).toMatchObject({ created: 4, conflicts: [], skipped: [] });
      const [sundayFirst] = await t.db.query(`SELECT id FROM scheduler.slot_instances WHERE person_id = $1 ORDER BY starts_at LIMIT 1`, [personId]);
      const saturday = await generate('2026-10-31', '2026-10-31');
      expect(saturday.status).toBe(200);
      expect(saturday.body).toEqual({ created: 0, updated: 0, retired: 0, unchanged: 0, conflicts: [{ slotId: sundayFirst.id, bookingIds: [] }], skipped: [] });
    });

    it('after a timezone change, regenerating one day leaves the old zone\'s slot next to it alone and reports it', async () => {
      await setUp('Etc/UTC');
      await addRule({ kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '00:00', endTime: '24:00', slotMinutes: 60 });
      expect((await generate('2027-01-04', '2027-01-05')).body).toMatchObject({ created: 48 });
      expect((await t.api.patch(`/v1/admin/locations/${locationId}`, { token: admin, body: { timezone: 'Asia/Kolkata' } })).status).toBe(200);

      // Not regenerated yet: each slot still shows the zone its local start was computed in.
      const listed = await t.api.get(`/v1/admin/slots?locationId=${locationId}&from=2027-01-04T00:00:00.000Z&limit=1`, { token: admin });
      expect(listed.body.data[0]).toMatchObject({ startsAt: '2027-01-04T00:00:00.000Z', localStart: '2027-01-04T00:00', timezone: 'Etc/UTC' });

      // 2027-01-05 in Kolkata is 2027-01-04T18:30Z–2027-01-05T18:30Z; the UTC slot at 18:00Z is in the way.
      const [inTheWay] = await t.db.query(
        `SELECT id FROM scheduler.slot_instances WHERE person_id = $1 AND starts_at = '2027-01-04T18:00:00Z'`,
        [personId],
      );
      const report = await generate('2027-01-05', '2027-01-05');
      expect(report.status).toBe(200);
      expect(report.body.conflicts).toEqual([{ slotId: inTheWay.id, bookingIds: [] }]);
      expect(report.body).toMatchObject({ created: 23 });
      const kolkata = await t.api.get(`/v1/admin/slots?locationId=${locationId}&from=2027-01-04T19:30:00.000Z&limit=1`, { token: admin });
      expect(kolkata.body.data[0]).toMatchObject({ startsAt: '2027-01-04T19:30:00.000Z', localStart: '2027-01-05T01:00', timezone: 'Asia/Kolkata' });

      // The day before, regenerated in the new zone too, settles it.
      const before = await generate('2027-01-04', '2027-01-05');
      expect(before.status).toBe(200);
      expect(before.body.conflicts).toEqual([]);
      const live = await liveSlots();
      for (let i = 1; i < live.length; i += 1) expect(live[i].starts_at.getTime()).toBeGreaterThanOrEqual(live[i - 1].ends_at.getTime());
    });
  });

  it('is guarded by PostgreSQL: an overlapping live slot for the same person cannot be inserted', async () => {
    await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 60 });
    await generate('2027-01-04', '2027-01-04');
    const [slot] = await t.db.query(`SELECT biz_entity_id, location_id FROM scheduler.slot_instances WHERE person_id = $1`, [personId]);
    await expect(
      t.db.query(
        `INSERT INTO scheduler.slot_instances
           (biz_entity_id, location_id, person_id, starts_at, ends_at, buffered_starts_at, buffered_ends_at, local_start, timezone, capacity)
         VALUES ($1, $2, $3, '2027-01-04T05:30:00Z', '2027-01-04T06:30:00Z', '2027-01-04T05:30:00Z', '2027-01-04T06:30:00Z', '2027-01-04T09:30', 'Asia/Dubai', 1)`,
        [slot.biz_entity_id, slot.location_id, personId],
      ),
    ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23P01' }) });
  });

  describe('with buffers before and after each slot', () => {
    const bufferedSlots = async (): Promise<string[][]> =>
      (
        (await t.db.query(
          `SELECT local_start, buffered_starts_at, starts_at, ends_at, buffered_ends_at FROM scheduler.slot_instances
            WHERE person_id = $1 AND status <> 'retired' ORDER BY starts_at`,
          [personId],
        )) as { local_start: string; buffered_starts_at: Date; starts_at: Date; ends_at: Date; buffered_ends_at: Date }[]
      ).map((s) => [s.local_start.slice(11), ...[s.buffered_starts_at, s.starts_at, s.ends_at, s.buffered_ends_at].map((d) => d.toISOString().slice(11, 16))]);

    /** A slot row of this person, written straight into the table. */
    const insertSlot = (bounds: { bufferedStart: string; start: string; end: string; bufferedEnd: string }) =>
      t.db.query(
        `INSERT INTO scheduler.slot_instances
           (biz_entity_id, location_id, person_id, starts_at, ends_at, buffered_starts_at, buffered_ends_at, local_start, timezone, capacity)
         SELECT biz_entity_id, location_id, id, $2, $3, $4, $5, 'n/a', 'Asia/Dubai', 1 FROM scheduler.people WHERE id = $1`,
        [personId, bounds.start, bounds.end, bounds.bufferedStart, bounds.bufferedEnd],
      );

    it('keeps the buffers free between slots and inside the window, and stores the buffered bounds', async () => {
      // Mondays 09:00–10:30 Dubai (UTC+4): 30-minute slots, 10 minutes free before and 5 after each.
      await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:30', slotMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 });
      const report = await generate('2027-01-04', '2027-01-04');
      expect(report.body).toEqual({ created: 2, updated: 0, retired: 0, unchanged: 0, conflicts: [], skipped: [] });
      expect(await bufferedSlots()).toEqual([
        ['09:10', '05:00', '05:10', '05:40', '05:45'],
        ['09:55', '05:45', '05:55', '06:25', '06:30'],
      ]);
      expect((await generate('2027-01-04', '2027-01-04')).body).toMatchObject({ created: 0, updated: 0, retired: 0, unchanged: 2 });
    });

    it('moves the buffered bounds in place when only the buffers change', async () => {
      const ruleId = await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 25, bufferAfterMinutes: 5 });
      await generate('2027-01-04', '2027-01-04');
      await t.api.patch(`${RULES}/${ruleId}`, { token: admin, body: { slotMinutes: 20, bufferAfterMinutes: 10 } });
      const report = await generate('2027-01-04', '2027-01-04');
      expect(report.body).toEqual({ created: 0, updated: 2, retired: 0, unchanged: 0, conflicts: [], skipped: [] });
      expect(await bufferedSlots()).toEqual([
        ['09:00', '05:00', '05:00', '05:20', '05:30'],
        ['09:30', '05:30', '05:30', '05:50', '06:00'],
      ]);
    });

    it('is guarded by PostgreSQL: a slot whose buffered span overlaps another live slot of the person is refused', async () => {
      await addRule({ kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '10:00', slotMinutes: 50, bufferAfterMinutes: 10 });
      await generate('2027-01-04', '2027-01-04');
      // The slot itself starts when the other one ends (05:50Z), but it wants 5 minutes before it.
      await expect(
        insertSlot({ bufferedStart: '2027-01-04T05:45:00Z', start: '2027-01-04T05:50:00Z', end: '2027-01-04T06:20:00Z', bufferedEnd: '2027-01-04T06:20:00Z' }),
      ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23P01', constraint: 'slot_instances_no_overlap' }) });
      // Outside the other slot's after-buffer, the same slot is fine.
      await insertSlot({ bufferedStart: '2027-01-04T06:00:00Z', start: '2027-01-04T06:05:00Z', end: '2027-01-04T06:35:00Z', bufferedEnd: '2027-01-04T06:35:00Z' });
    });

    it('refuses buffered bounds that do not enclose the slot', async () => {
      await expect(
        insertSlot({ bufferedStart: '2027-01-04T05:10:00Z', start: '2027-01-04T05:00:00Z', end: '2027-01-04T05:30:00Z', bufferedEnd: '2027-01-04T05:30:00Z' }),
      ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23514', constraint: 'slot_instances_buffers_enclose' }) });
    });

    it('does not make, and reports, a slot whose buffered span overlaps a slot of a touching window across the fall-back fold', async () => {
      await setUp('Europe/London');
      // 2026-10-25: 02:00 BST falls back to 01:00 GMT. "until 01:30" ends at 01:30 GMT; "from 01:30" starts at 01:30 BST.
      const early = await addRule({ kind: 'weekly', weekdays: [7], startTime: '00:00', endTime: '01:30', slotMinutes: 50, bufferAfterMinutes: 10 });
      const late = await addRule({ kind: 'weekly', weekdays: [7], startTime: '01:30', endTime: '03:00', slotMinutes: 30 });
      const report = await generate('2026-10-25', '2026-10-25');
      expect(report.status).toBe(200);
      expect(report.body).toEqual({
        created: 4,
        updated: 0,
        retired: 0,
        unchanged: 0,
        conflicts: [],
        skipped: [
          {
            personId,
            ruleId: late,
            startsAt: '2026-10-25T00:30:00.000Z',
            endsAt: '2026-10-25T01:00:00.000Z',
            bufferedStartsAt: '2026-10-25T00:30:00.000Z',
            bufferedEndsAt: '2026-10-25T01:00:00.000Z',
            localStart: '2026-10-25T01:30',
            overlapsRuleId: early,
            overlapsStartsAt: '2026-10-25T00:00:00.000Z',
          },
        ],
      });
      expect((await bufferedSlots()).map(([local]) => local)).toEqual(['00:00', '01:00', '02:00', '02:30']);
      // A second run decides the same way and reports the same slot.
      expect((await generate('2026-10-25', '2026-10-25')).body).toMatchObject({ created: 0, unchanged: 4, skipped: [{ ruleId: late }] });
    });
  });
});
