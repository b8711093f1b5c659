import { randomUUID } from 'node:crypto';
import { createUser } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { adminSlots, DAY_MS, exposureWorld, ExposureWorld, SlotView } from './exposure-fixtures';

interface Components {
  staff: number;
  crowd: number;
  diversity: number;
  tiebreak: number;
  total: number;
}

interface OfferedSlot {
  position: number;
  slotId: string;
  slot?: { id: string; personId: string };
  components: Components;
  offeredAt: string;
}

const sumOf = (c: Components): number => c.staff + c.crowd + c.diversity + c.tiebreak;

describe('GET /v1/admin/exposures, /{id}, /{id}/explain', () => {
  let t: TestApp;
  let w: ExposureWorld;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    w = await exposureWorld(t);
  });

  const browse = async (query = '', as = w.user): Promise<{ exposureId: string; slots: { id: string; personId: string }[]; window: { from: string; to: string } }> => {
    const res = await t.api.get(`/v1/locations/${w.locationId}/slots${query}`, { token: as });
    expect(res.status).toBe(200);
    return res.body;
  };
  const browsePerson = async (personId: string, as = w.user): Promise<{ exposureId: string; slots: { id: string; personId: string }[] }> => {
    const res = await t.api.get(`/v1/people/${personId}/slots`, { token: as });
    expect(res.status).toBe(200);
    return res.body;
  };
  const list = (query: Record<string, string>) => t.api.get(`/v1/admin/exposures?${new URLSearchParams(query).toString()}`, { token: w.admin });
  const listIds = async (query: Record<string, string>): Promise<string[]> => {
    const res = await list(query);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return (res.body.data as { id: string }[]).map((row) => row.id).sort();
  };
  const explain = (exposureId: string, slotId: string) =>
    t.api.get(`/v1/admin/exposures/${exposureId}/explain?slotId=${slotId}`, { token: w.admin });
  /** An open slot with room, not among `offered`, starting in the day from `daysAhead` days from now (or from the instant `at`). */
  const notOfferedSlot = async (offered: readonly string[], daysAhead: number, at?: number): Promise<SlotView> => {
    const from = at ?? Date.now() + daysAhead * DAY_MS;
    const slots = await adminSlots(t, w, from, from + DAY_MS);
    const slot = slots.find((s) => s.status === 'open' && s.remaining > 0 && !offered.includes(s.id));
    if (!slot) throw new Error('fixture: no open slot to explain');
    return slot;
  };

  describe('list', () => {
    it('lists the user\'s exposures and filters them by user, location and person', async () => {
      const location = await browse();
      const person = await browsePerson(w.people[1]);
      const otherUser = await token({ sub: await createUser(t.db) });
      const theirs = await browse('', otherUser);
      expect(new Set(location.slots.map((s) => s.personId))).toEqual(new Set(w.people));

      expect(await listIds({ userId: w.userId })).toEqual([location.exposureId, person.exposureId].sort());
      expect(await listIds({ userId: w.userId, locationId: w.locationId })).toEqual([location.exposureId, person.exposureId].sort());
      expect(await listIds({ locationId: w.locationId })).toEqual([location.exposureId, person.exposureId, theirs.exposureId].sort());
      expect(await listIds({ userId: w.userId, locationId: randomUUID() })).toEqual([]);
      expect(await listIds({ userId: randomUUID() })).toEqual([]);
      // people[0] is only in the location offer; people[1] is the person offer's scope and in the location offer.
      expect(await listIds({ userId: w.userId, personId: w.people[0] })).toEqual([location.exposureId]);
      expect(await listIds({ userId: w.userId, personId: w.people[1] })).toEqual([location.exposureId, person.exposureId].sort());
    });

    it('describes each exposure: identity, window, live, and the from/to values as sent', async () => {
      const from = new Date(Date.now() + DAY_MS).toISOString();
      const sent = await browse(`?from=${from}`);
      const res = await list({ userId: w.userId });
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      const [row] = res.body.data;
      expect(row).toMatchObject({
        id: sent.exposureId,
        userId: w.userId,
        locationId: w.locationId,
        scope: 'location',
        scopeId: w.locationId,
        fromParam: from,
        window: sent.window,
        live: true,
      });
      expect(row).not.toHaveProperty('toParam');
      expect(row).not.toHaveProperty('slots');
      expect(Date.parse(row.expiresAt)).toBeGreaterThan(Date.parse(row.createdAt));
    });

    it('pages through the exposures with limit and cursor, each once', async () => {
      const made = [
        (await browse()).exposureId,
        (await browse(`?from=${new Date(Date.now() + DAY_MS).toISOString()}`)).exposureId,
        (await browsePerson(w.people[0])).exposureId,
      ];
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 3; page++) {
        const query: Record<string, string> = { userId: w.userId, limit: '1', ...(cursor ? { cursor } : {}) };
        const res = await list(query);
        expect(res.status).toBe(200);
        expect(res.body.data).toHaveLength(1);
        seen.push(res.body.data[0].id);
        cursor = res.body.nextCursor;
        if (page < 2) expect(typeof cursor).toBe('string');
      }
      expect(cursor).toBeNull();
      expect(seen).toEqual(made); // oldest first
      const two = await list({ userId: w.userId, limit: '2' });
      expect(two.body.data.map((row: { id: string }) => row.id)).toEqual(made.slice(0, 2));
      const rest = await list({ userId: w.userId, limit: '2', cursor: two.body.nextCursor });
      expect(rest.body.data.map((row: { id: string }) => row.id)).toEqual(made.slice(2));
      expect(rest.body.nextCursor).toBeNull();
    });
  });

  describe('get', () => {
    it('shows each offered slot in order with components whose total is their sum', async () => {
      const sent = await browse();
      const res = await t.api.get(`/v1/admin/exposures/${sent.exposureId}`, { token: w.admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: sent.exposureId, userId: w.userId, scope: 'location', scopeId: w.locationId, window: sent.window });
      const slots: OfferedSlot[] = res.body.slots;
      expect(slots).toHaveLength(5);
      expect(slots.map((s) => s.position)).toEqual([0, 1, 2, 3, 4]);
      // The public offer lists the same slots by start; positions keep the order they were picked in.
      expect([...slots.map((s) => s.slotId)].sort()).toEqual(sent.slots.map((s) => s.id).sort());
      for (const [i, offered] of slots.entries()) {
        expect(offered.slot?.id).toBe(offered.slotId);
        expect(Math.abs(offered.components.total - sumOf(offered.components))).toBeLessThanOrEqual(1e-9);
        // Greedy: each pick scored at least as high as the next one.
        if (i > 0) expect(offered.components.total).toBeLessThanOrEqual(slots[i - 1].components.total + 1e-9);
      }
      expect(Math.abs(slots[0].components.diversity)).toBe(0);
    });

    it('shows a person exposure\'s slots, all of that person', async () => {
      const sent = await browsePerson(w.people[2]);
      const res = await t.api.get(`/v1/admin/exposures/${sent.exposureId}`, { token: w.admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ scope: 'person', scopeId: w.people[2], locationId: w.locationId });
      const slots: OfferedSlot[] = res.body.slots;
      expect(slots.map((s) => s.position)).toEqual([0, 1, 2]);
      for (const offered of slots) {
        expect(offered.slot?.personId).toBe(w.people[2]);
        expect(Math.abs(offered.components.total - sumOf(offered.components))).toBeLessThanOrEqual(1e-9);
      }
    });

    it('shows the replacement in place after a slot stopped being bookable', async () => {
      const first = await browse();
      const before: OfferedSlot[] = (await t.api.get(`/v1/admin/exposures/${first.exposureId}`, { token: w.admin })).body.slots;
      await t.api.patch(`/v1/admin/slots/${before[1].slotId}`, { token: w.admin, body: { status: 'blocked' } });
      const second = await browse();
      const res = await t.api.get(`/v1/admin/exposures/${first.exposureId}`, { token: w.admin });
      const slots: OfferedSlot[] = res.body.slots;
      expect(slots.map((s) => s.position)).toEqual([0, 1, 2, 3, 4]);
      expect([...slots.map((s) => s.slotId)].sort()).toEqual(second.slots.map((s) => s.id).sort());
      expect(slots[1].slotId).not.toBe(before[1].slotId);
      expect(slots.filter((_, i) => i !== 1).map((s) => s.slotId)).toEqual(before.filter((_, i) => i !== 1).map((s) => s.slotId));
      for (const offered of slots) expect(Math.abs(offered.components.total - sumOf(offered.components))).toBeLessThanOrEqual(1e-9);
    });

    it('answers 404 for an exposure that does not exist', async () => {
      const res = await t.api.get(`/v1/admin/exposures/${randomUUID()}`, { token: w.admin });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });

  describe('explain', () => {
    it('says offered, with the position and stored score, for each offered slot', async () => {
      const sent = await browse();
      const stored: OfferedSlot[] = (await t.api.get(`/v1/admin/exposures/${sent.exposureId}`, { token: w.admin })).body.slots;
      for (const offered of stored) {
        const res = await explain(sent.exposureId, offered.slotId);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          exposureId: sent.exposureId,
          slotId: offered.slotId,
          offered: true,
          verdict: 'offered',
          position: offered.position,
        });
        expect(res.body.score).toEqual(offered.components);
      }
    });

    it('says not_bookable, because it is not open, for a blocked slot in the window', async () => {
      const sent = await browse();
      const slot = await notOfferedSlot(sent.slots.map((s) => s.id), 2);
      const blocked = await t.api.patch(`/v1/admin/slots/${slot.id}`, { token: w.admin, body: { status: 'blocked' } });
      expect(blocked.status).toBe(200);
      const res = await explain(sent.exposureId, slot.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ offered: false, verdict: 'not_bookable', slotId: slot.id });
      expect(res.body.reasons.join(' ')).toMatch(/not open/);
      expect(res.body).not.toHaveProperty('position');
    });

    it('says not_bookable, because it is full, for a slot someone else booked', async () => {
      const sent = await browse();
      const slot = await notOfferedSlot(sent.slots.map((s) => s.id), 3);
      const booked = await t.api.post('/v1/admin/bookings', {
        token: w.admin,
        body: { slotId: slot.id, userId: await createUser(t.db), status: 'confirmed' },
      });
      expect(booked.status).toBe(201);
      const res = await explain(sent.exposureId, slot.id);
      expect(res.status).toBe(200);
      expect(res.body.verdict).toBe('not_bookable');
      expect(res.body.reasons.join(' ')).toMatch(/full/);
    });

    it('says outside_window for a slot of the scope that starts after the window', async () => {
      const sent = await browse();
      expect(Date.parse(sent.window.to)).toBeLessThan(Date.now() + 9 * DAY_MS);
      const slot = await notOfferedSlot([], 10);
      const res = await explain(sent.exposureId, slot.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ offered: false, verdict: 'outside_window' });
    });

    it('says outranked, with its score and the lowest offered total, for a bookable slot not offered', async () => {
      // One day: 8 slots per person, all of them candidates (the draw takes up to 12 per person).
      const from = Date.parse(`${new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10)}T00:00:00.000Z`);
      const sent = await browse(`?from=${new Date(from).toISOString()}&to=${new Date(from + DAY_MS).toISOString()}`);
      const stored: OfferedSlot[] = (await t.api.get(`/v1/admin/exposures/${sent.exposureId}`, { token: w.admin })).body.slots;
      // Inside the window whatever the time of day the suite runs at.
      const slot = await notOfferedSlot(sent.slots.map((s) => s.id), 2, from);
      const res = await explain(sent.exposureId, slot.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ offered: false, verdict: 'outranked', slotId: slot.id });
      expect(res.body.reasons.length).toBeGreaterThan(0);
      expect(res.body.lowestOfferedTotal).toBeCloseTo(Math.min(...stored.map((s) => s.components.total)), 9);
      const score: Components = res.body.score;
      expect(score).toEqual({
        staff: expect.any(Number),
        crowd: expect.any(Number),
        diversity: expect.any(Number),
        tiebreak: expect.any(Number),
        total: expect.any(Number),
      });
      expect(Math.abs(score.total - sumOf(score))).toBeLessThanOrEqual(1e-9);
    });

    it('never reports an outranked slot as scoring above the lowest offered total (every candidate ranked)', async () => {
      // One day: 8 slots per person, so every bookable slot of the window was a candidate of the ranking.
      const day = new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10);
      const from = Date.parse(`${day}T00:00:00.000Z`);
      const sent = await browse(`?from=${new Date(from).toISOString()}&to=${new Date(from + DAY_MS).toISOString()}`);
      expect(sent.slots).toHaveLength(5);
      const offered = sent.slots.map((s) => s.id);
      const others = (await adminSlots(t, w, from, from + DAY_MS)).filter((s) => !offered.includes(s.id));
      expect(others.length).toBeGreaterThan(10);
      for (const slot of others) {
        const res = await explain(sent.exposureId, slot.id);
        expect(res.body.verdict).toBe('outranked');
        // "N slot(s) scored higher" must be true of the score it reports.
        expect(res.body.score.total).toBeLessThanOrEqual(res.body.lowestOfferedTotal + 1e-9);
      }
    });

    it('says a better-scoring slot lost its place to a second person when the offer had to span two people', async () => {
      // One day; the second and third people are well booked on other days, so the first takes all but one place.
      const day = new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10);
      const from = Date.parse(`${day}T00:00:00.000Z`);
      for (const personId of w.people.slice(1)) {
        const later = (await adminSlots(t, w, from + 3 * DAY_MS, from + 6 * DAY_MS, personId)).slice(0, 10);
        for (const slot of later) {
          expect((await t.api.post('/v1/admin/bookings', { token: w.admin, body: { slotId: slot.id, userId: await createUser(t.db) } })).status).toBe(201);
        }
      }
      const sent = await browse(`?from=${new Date(from).toISOString()}&to=${new Date(from + DAY_MS).toISOString()}`);
      expect(sent.slots.filter((s) => s.personId === w.people[0])).toHaveLength(4);
      const offered = sent.slots.map((s) => s.id);
      const rivals = (await adminSlots(t, w, from, from + DAY_MS, w.people[0])).filter((s) => !offered.includes(s.id));
      const explained = await Promise.all(rivals.map(async (slot) => (await explain(sent.exposureId, slot.id)).body));
      const above = explained.filter((body) => body.score.total > body.lowestOfferedTotal);
      expect(above.length).toBeGreaterThan(0);
      for (const body of above) expect(body.reasons[0]).toMatch(/that place went to another person: an offer spans at least 2 people/);
    });

    it('says not_sampled for a bookable slot left out of the draw: each person gives at most 12 candidates', async () => {
      // A week from tomorrow: 7 × 8 slots per person, more than the 12 the ranking sees of each,
      // and none starting while the test runs (which would change the draw made again).
      const from = Date.parse(new Date(Date.now() + DAY_MS).toISOString().slice(0, 10));
      const sent = await browse(`?from=${new Date(from).toISOString()}&to=${new Date(from + 7 * DAY_MS).toISOString()}`);
      const offered = sent.slots.map((s) => s.id);
      const slots = (await adminSlots(t, w, Date.parse(sent.window.from), Date.parse(sent.window.to))).filter(
        (s) => s.status === 'open' && s.remaining > 0,
      );
      const verdicts = new Map<string, Record<string, number>>(w.people.map((id) => [id, {}]));
      for (const slot of slots) {
        const res = await explain(sent.exposureId, slot.id);
        expect(res.status).toBe(200);
        expect(res.body.offered).toBe(offered.includes(slot.id));
        const counts = verdicts.get(slot.personId)!;
        counts[res.body.verdict] = (counts[res.body.verdict] ?? 0) + 1;
        if (res.body.verdict === 'not_sampled') {
          expect(res.body.reasons[0]).toMatch(/not among the 12 slots of its person drawn for this user/);
          expect(res.body.score).toBeUndefined();
        }
      }
      for (const personId of w.people) {
        const counts = verdicts.get(personId)!;
        const perPerson = slots.filter((s) => s.personId === personId).length;
        expect(perPerson).toBeGreaterThan(12);
        expect(Object.keys(counts).sort()).toEqual(expect.arrayContaining(['not_sampled', 'outranked']));
        expect((counts.offered ?? 0) + (counts.outranked ?? 0)).toBe(12);
        expect(counts.not_sampled).toBe(perPerson - 12);
      }
    });

    it('says outside_scope for a slot of another location, and for another person\'s slot in a person exposure', async () => {
      const sent = await browse();
      const elsewhere = await exposureWorld(t, { biz: w.biz, people: ['Dee'] });
      const [foreign] = await adminSlots(t, elsewhere, Date.now() + 2 * DAY_MS, Date.now() + 3 * DAY_MS);
      const res = await explain(sent.exposureId, foreign.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ offered: false, verdict: 'outside_scope' });

      const personal = await browsePerson(w.people[0]);
      const [colleague] = await adminSlots(t, w, Date.now() + 2 * DAY_MS, Date.now() + 3 * DAY_MS, w.people[1]);
      const other = await explain(personal.exposureId, colleague.id);
      expect(other.status).toBe(200);
      expect(other.body.verdict).toBe('outside_scope');
    });

    it('says unknown_slot for a slot id that does not exist', async () => {
      const sent = await browse();
      const slotId = randomUUID();
      const res = await explain(sent.exposureId, slotId);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ exposureId: sent.exposureId, slotId, offered: false, verdict: 'unknown_slot' });
    });

    it('answers 404 for an exposure that does not exist', async () => {
      const res = await explain(randomUUID(), randomUUID());
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });
});
