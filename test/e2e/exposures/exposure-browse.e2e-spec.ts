import { staffedLocation } from '../../factories/catalogue';
import { createBusiness, createUser } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

describe('GET /v1/locations/{id}/slots and /v1/people/{id}/slots', () => {
  let t: TestApp;
  let admin: string;
  let locationId: string;
  let people: string[];
  let user: string;
  let userId: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    const biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const staffed = await staffedLocation(t, admin, biz, { location: { timezone: 'Europe/London' }, people: ['Ana', 'Ben', 'Cai'], from: today, to: later });
    locationId = staffed.location.id;
    people = staffed.people;
    userId = await createUser(t.db);
    user = await token({ sub: userId });
  });

  const browse = (query = '', as = user) => t.api.get(`/v1/locations/${locationId}/slots${query}`, { token: as });

  it('offers locationMax bookable slots from distinct people, and the same again (sticky)', async () => {
    const first = await browse();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ scope: 'location', scopeId: locationId, extended: false });
    expect(first.body.slots).toHaveLength(5);
    expect(new Set(first.body.slots.map((s: { personId: string }) => s.personId)).size).toBe(3);
    for (const slot of first.body.slots) expect(slot).toMatchObject({ status: 'open', remaining: 1 });
    const again = await browse();
    expect(again.body).toEqual(first.body);
  });

  it('is deterministic: a second identical store (after expiry) gives the same slots in the same order', async () => {
    const first = await browse();
    await t.db.query(`UPDATE scheduler.exposures SET expires_at = now() - interval '1 second' WHERE id = $1`, [first.body.exposureId]);
    const second = await browse();
    expect(second.body.exposureId).not.toBe(first.body.exposureId);
    expect(second.body.slots.map((s: { id: string }) => s.id)).toEqual(first.body.slots.map((s: { id: string }) => s.id));
  });

  it('replaces a slot that became unavailable; the others stay in the offer', async () => {
    const first = await browse();
    const ids: string[] = first.body.slots.map((s: { id: string }) => s.id);
    await t.api.patch(`/v1/admin/slots/${ids[2]}`, { token: admin, body: { status: 'blocked' } });
    const second = await browse();
    const after: string[] = second.body.slots.map((s: { id: string }) => s.id);
    expect(second.body.exposureId).toBe(first.body.exposureId);
    expect(after).toHaveLength(5);
    expect(after).toEqual(expect.arrayContaining([ids[0], ids[1], ids[3], ids[4]]));
    expect(after).not.toContain(ids[2]);
  });

  it('lists the offered slots by start, each with its person\'s name', async () => {
    const res = await browse();
    const starts: number[] = res.body.slots.map((s: { startsAt: string }) => Date.parse(s.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const names = new Map([[people[0], 'Ana'], [people[1], 'Ben'], [people[2], 'Cai']]);
    for (const slot of res.body.slots) expect(slot.personName).toBe(names.get(slot.personId));
  });

  it('offers at least two people when one of them is far behind their share of bookings', async () => {
    // Ben and Cai have bookings, Ana none: fairness to staff alone would give Ana all five places.
    const slots = (await t.api.get(`/v1/admin/slots?locationId=${locationId}&limit=200`, { token: admin })).body.data as { id: string; personId: string; startsAt: string }[];
    // Today's slots that have already started cannot be booked (422 SLOT_IN_PAST).
    const upcoming = slots.filter((s) => Date.parse(s.startsAt) > Date.now());
    for (const personId of [people[1], people[2]]) {
      for (const slot of upcoming.filter((s) => s.personId === personId).slice(0, 12)) {
        const booked = await t.api.post('/v1/admin/bookings', { token: admin, body: { slotId: slot.id, userId: await createUser(t.db) } });
        expect(booked.status).toBe(201);
      }
    }
    const res = await browse();
    const offered: string[] = res.body.slots.map((s: { personId: string }) => s.personId);
    expect(offered).toHaveLength(5);
    expect(offered.filter((personId) => personId === people[0]).length).toBe(4);
    expect(new Set(offered).size).toBe(2);
  });

  it('extends past a thin window, day by day, and says so', async () => {
    const from = new Date(Date.now() + 25 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 26 * 86_400_000).toISOString();
    // No slots were generated beyond 20 days; generate two more days far out for one person.
    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await t.api.post('/v1/admin/slot-generations', { token: admin, body: { locationId, personIds: [people[0]], from: day, to: day } });
    const res = await browse(`?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body.extended).toBe(true);
    expect(res.body.slots.length).toBeGreaterThanOrEqual(3);
    expect(Date.parse(res.body.window.to)).toBeGreaterThan(Date.parse(to));
  });

  it('fills a large locationMax from one person: each person gives the ranking at least that many candidates', async () => {
    // One person left, 8 slots a day over a week, 20 to offer: more than the 12 a person gives by default.
    for (const personId of people.slice(1)) expect((await t.api.delete(`/v1/admin/people/${personId}`, { token: admin })).status).toBe(204);
    await t.api.patch(`/v1/admin/locations/${locationId}`, { token: admin, body: { policy: { exposure: { locationMin: 20, locationMax: 20 } } } });
    const res = await browse();
    expect(res.status).toBe(200);
    expect(res.body.slots).toHaveLength(20);
    expect(res.body.extended).toBe(false);
    // A slot that leaves the offer is replaced from the same draw.
    await t.api.patch(`/v1/admin/slots/${res.body.slots[0].id}`, { token: admin, body: { status: 'blocked' } });
    const again = await browse();
    expect(again.body.slots).toHaveLength(20);
    expect(again.body.slots.map((s: { id: string }) => s.id)).not.toContain(res.body.slots[0].id);
  });

  it('draws from every bookable slot: when the first slots by the user\'s key are all booked, the next ones by the key are offered', async () => {
    // One person, 8 slots a day over a week: 56 in the window. The user's first 24 by the key
    // (the rows the booking lookups see first for 12 candidates) are booked by someone else.
    for (const personId of people.slice(1)) expect((await t.api.delete(`/v1/admin/people/${personId}`, { token: admin })).status).toBe(204);
    await t.api.patch(`/v1/admin/locations/${locationId}`, { token: admin, body: { policy: { exposure: { locationMin: 12, locationMax: 12 } } } });
    const from = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000);
    const to = new Date(from.getTime() + 7 * 86_400_000);
    const byKey: { id: string }[] = await t.db.query(
      `SELECT id FROM scheduler.slot_instances WHERE person_id = $1 AND starts_at >= $2 AND starts_at < $3
        ORDER BY uuid_hash_extended(id, hashtextextended($4::text, 0))`,
      [people[0], from, to, userId],
    );
    expect(byKey).toHaveLength(56);
    const booked = byKey.slice(0, 24).map((slot) => slot.id);
    await t.db.query(
      `INSERT INTO scheduler.bookings (biz_entity_id, location_id, person_id, slot_id, user_id, status, confirmed_at, seats)
       SELECT s.biz_entity_id, s.location_id, s.person_id, s.id, $2, 'confirmed', now(), s.capacity FROM scheduler.slot_instances s WHERE s.id = ANY($1::uuid[])`,
      [booked, await createUser(t.db)],
    );

    const res = await browse(`?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body.extended).toBe(false);
    expect(res.body.slots.map((s: { id: string }) => s.id).sort()).toEqual(byKey.slice(24, 36).map((slot) => slot.id).sort());
  });

  it('offers personMax slots of one person', async () => {
    const res = await t.api.get(`/v1/people/${people[1]}/slots`, { token: user });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('person');
    expect(res.body.slots).toHaveLength(3);
    for (const slot of res.body.slots) expect(slot.personId).toBe(people[1]);
  });

  it('keeps one user\'s exposures invisible to another (own identity, own exposure)', async () => {
    const mine = await browse();
    const otherId = await createUser(t.db);
    const theirs = await browse('', await token({ sub: otherId }));
    expect(theirs.body.exposureId).not.toBe(mine.body.exposureId);
  });

  it('refuses a window longer than the horizon or reversed, and unknown locations', async () => {
    const from = new Date().toISOString();
    const far = new Date(Date.now() + 200 * 86_400_000).toISOString();
    expect((await browse(`?from=${from}&to=${far}`)).body.code).toBe('VALIDATION_FAILED');
    expect((await browse(`?from=${far}&to=${from}`)).body.code).toBe('VALIDATION_FAILED');
    expect((await browse('?from=tomorrow')).status).toBe(400);
    expect((await t.api.get(`/v1/locations/${crypto.randomUUID()}/slots`, { token: user })).status).toBe(404);
  });
});
