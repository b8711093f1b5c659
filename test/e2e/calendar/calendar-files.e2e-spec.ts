import ICAL from 'ical.js';
import request from 'supertest';
import { BookingFixture, bookingFixture, key, newUser } from '../../factories/bookings';
import { createLocation, createPerson, createRule, weeklyBody } from '../../factories/catalogue';
import { createBusiness, countRows } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';
import { sleep } from '../../utils/wait';

interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string;
  start: string;
  end: string;
  /** The TZID of DTSTART, or 'UTC' for a UTC time. */
  zone: string;
  localStart: string;
}

/**
 * Reads an iCalendar file with an independent parser (ical.js): its VTIMEZONEs are registered
 * first, so instants come from the file's own zone definitions, not from this process's.
 */
function parseCalendar(text: string): { name?: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const zone = new ICAL.Timezone(vtimezone);
    if (!ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: String(vevent.getFirstPropertyValue('status')),
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      zone: event.startDate.zone?.tzid === 'UTC' ? 'UTC' : String(vevent.getFirstProperty('dtstart')?.getParameter('tzid')),
      localStart: String(vevent.getFirstProperty('dtstart')?.toICALString()),
    };
  });
  return { name: calendar.getFirstPropertyValue('name')?.toString(), events };
}

/** RFC 5545 calendar files of bookings, checked with ical.js. */
describe('calendar files', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function ics(path: string, bearer?: string): Promise<{ status: number; type: string; text: string }> {
    const res = await t.api.get(path, { token: bearer });
    return { status: res.status, type: String(res.headers['content-type']), text: res.text };
  }

  const bookingIcs = (f: BookingFixture, id: string) => ics(`/v1/bookings/${id}/calendar.ics`, f.user.token);

  it("GET /v1/bookings/{id}/calendar.ics: the caller's own booking, one event with a stable UID; anyone else's is 404", async () => {
    const f = await bookingFixture(t, { slots: 1, timezone: 'Asia/Dubai' });
    const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    const file = await bookingIcs(f, held.body.id);
    expect(file.status).toBe(200);
    expect(file.type).toBe('text/calendar; charset=utf-8');
    expect(file.text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    expect(file.text).toContain('METHOD:PUBLISH');
    expect(file.text).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Dubai');
    const { events } = parseCalendar(file.text);
    expect(events).toEqual([
      {
        uid: `${held.body.id}@general-scheduler`,
        sequence: 0,
        status: 'TENTATIVE',
        start: held.body.startsAt,
        end: held.body.endsAt,
        zone: 'Asia/Dubai',
        localStart: expect.any(String),
      },
    ]);

    const stranger = await newUser(t);
    const theirs = await t.api.get(`/v1/bookings/${held.body.id}/calendar.ics`, { token: stranger.token });
    expect(theirs.status).toBe(404);
    expect(theirs.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await t.api.get(`/v1/bookings/${held.body.id}/calendar.ics`)).status).toBe(401);
    expect((await t.api.get('/v1/bookings/not-a-uuid/calendar.ics', { token: f.user.token })).status).toBe(400);
  });

  it('SEQUENCE rises with each change; the UID stays; a cancelled booking is STATUS:CANCELLED', async () => {
    const f = await bookingFixture(t, { slots: 2 });
    const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    const id = held.body.id as string;
    const read = async () => parseCalendar((await bookingIcs(f, id)).text).events[0];
    const seen = [await read()];
    await t.api.post(`/v1/bookings/${id}/confirm`, { token: f.user.token, headers: key() });
    seen.push(await read());
    const moved = await t.api.post(`/v1/admin/bookings/${id}/reschedule`, { token: f.admin, body: { slotId: f.slotIds[1] } });
    seen.push(await read());
    await t.api.post(`/v1/bookings/${id}/cancel`, { token: f.user.token, body: {}, headers: key() });
    seen.push(await read());
    expect(seen.map((e) => [e.uid, e.sequence, e.status])).toEqual([
      [`${id}@general-scheduler`, 0, 'TENTATIVE'],
      [`${id}@general-scheduler`, 1, 'CONFIRMED'],
      [`${id}@general-scheduler`, 2, 'CONFIRMED'],
      [`${id}@general-scheduler`, 3, 'CANCELLED'],
    ]);
    expect(seen[1].start).toBe(held.body.startsAt);
    expect(seen[2].start).toBe(moved.body.startsAt);
    expect(seen[2].start).not.toBe(seen[1].start);
  });

  it('a lapsed hold reads CANCELLED with a higher SEQUENCE at once, and keeps that number when its expiry is recorded', async () => {
    const f = await bookingFixture(t, { slots: 1, capacity: 1, policy: { holdTtlSeconds: 1 } });
    const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
    await sleep(1100);
    const lapsed = parseCalendar((await bookingIcs(f, held.body.id)).text).events[0];
    expect([lapsed.sequence, lapsed.status]).toEqual([1, 'CANCELLED']);
    // Reading wrote nothing.
    expect(await countRows(t.db, 'scheduler.booking_events', 'booking_id = $1', [held.body.id])).toBe(1);
    const next = await newUser(t);
    expect((await t.api.post('/v1/bookings', { token: next.token, body: { slotId: f.slotIds[0] }, headers: key() })).status).toBe(201);
    const recorded = parseCalendar((await bookingIcs(f, held.body.id)).text).events[0];
    expect([recorded.sequence, recorded.status]).toEqual([1, 'CANCELLED']);
  });

  describe("a person's calendar across DST changes (Europe/London, 2027)", () => {
    it('every instant round-trips through ical.js; wall-clock times carry the TZID, those in the repeated hour are written in UTC', async () => {
      const biz = await createBusiness(t.db);
      const admin = await token({ roles: ['admin'], biz: [biz] });
      const locationId = (await createLocation(t, admin, biz, { timezone: 'Europe/London', policy: { requireExposure: false } })).id;
      const person = await createPerson(t, admin, { locationId, name: 'Ines' });
      // Sundays 00:00–04:00 in hours: 28 March springs forward at 01:00, 31 October falls back at 02:00.
      await createRule(t, admin, weeklyBody(person.id, { weekdays: [7], startTime: '00:00', endTime: '04:00', slotMinutes: 60 }));
      for (const [from, to] of [['2027-03-28', '2027-03-28'], ['2027-10-31', '2027-10-31']]) {
        const generated = await t.api.post('/v1/admin/slot-generations', { token: admin, body: { locationId, from, to } });
        expect(generated.status).toBe(200);
      }
      const slots = (await t.api.get(`/v1/admin/slots?personId=${person.id}&limit=50`, { token: admin })).body.data as {
        id: string;
        startsAt: string;
        endsAt: string;
        localStart: string;
      }[];
      expect(slots.map((s) => s.localStart)).toEqual([
        '2027-03-28T00:00',
        '2027-03-28T02:00',
        '2027-03-28T03:00',
        '2027-10-31T00:00',
        '2027-10-31T01:00',
        '2027-10-31T02:00',
        '2027-10-31T03:00',
      ]);
      const bookings: Record<string, string> = {};
      for (const slot of slots) {
        const user = await newUser(t);
        const booked = await t.api.post('/v1/admin/bookings', { token: admin, body: { slotId: slot.id, userId: user.id } });
        expect(booked.status).toBe(201);
        bookings[slot.id] = booked.body.id;
      }

      const file = await ics(`/v1/admin/people/${person.id}/calendar.ics?from=2027-03-01T00:00:00.000Z&to=2027-12-01T00:00:00.000Z`, admin);
      expect(file.status).toBe(200);
      const calendar = parseCalendar(file.text);
      expect(calendar.name).toBe('Ines');
      expect(calendar.events.map((e) => ({ uid: e.uid, start: e.start, end: e.end, status: e.status }))).toEqual(
        slots.map((s) => ({ uid: `${bookings[s.id]}@general-scheduler`, start: s.startsAt, end: s.endsAt, status: 'CONFIRMED' })),
      );
      // On 31 October 01:00–02:00 happens twice: the slot ending at the first 01:00 and the one
      // starting then are written in UTC, so no reader can take them for the other hour; every
      // other one carries the zone.
      expect(calendar.events.map((e) => e.zone)).toEqual(['Europe/London', 'Europe/London', 'Europe/London', 'UTC', 'UTC', 'Europe/London', 'Europe/London']);
      expect(slots.slice(3, 5)).toMatchObject([
        { startsAt: '2027-10-30T23:00:00.000Z', endsAt: '2027-10-31T00:00:00.000Z' },
        { startsAt: '2027-10-31T00:00:00.000Z', endsAt: '2027-10-31T01:00:00.000Z' },
      ]);
      expect(file.text).toContain('DTSTART;TZID=Europe/London:20270328T020000');
      expect(file.text).toContain('DTSTART;TZID=Europe/London:20271031T020000');
      expect(file.text).toContain('DTSTART:20271031T000000Z');
    });
  });

  describe("a person's calendar and its subscription URL", () => {
    async function staffed() {
      const f = await bookingFixture(t, { slots: 2, timezone: 'America/New_York' });
      const booked = await t.api.post('/v1/admin/bookings', { token: f.admin, body: { slotId: f.slotIds[0], userId: f.user.id } });
      const cancelled = await t.api.post('/v1/admin/bookings', { token: f.admin, body: { slotId: f.slotIds[1], userId: f.user.id } });
      await t.api.post(`/v1/admin/bookings/${cancelled.body.id}/cancel`, { token: f.admin, body: {} });
      return { f, booked: booked.body, cancelled: cancelled.body };
    }

    it('GET /v1/admin/people/{id}/calendar.ics: the person\'s bookings in [from, to), cancelled ones as CANCELLED; viewers may read it', async () => {
      const { f, booked, cancelled } = await staffed();
      const viewer = await token({ roles: ['viewer'], biz: [f.bizEntityId] });
      const file = await ics(`/v1/admin/people/${f.personId}/calendar.ics`, viewer);
      expect(file.status).toBe(200);
      expect(parseCalendar(file.text).events.map((e) => [e.uid, e.status, e.zone, e.start])).toEqual([
        [`${booked.id}@general-scheduler`, 'CONFIRMED', 'America/New_York', booked.startsAt],
        [`${cancelled.id}@general-scheduler`, 'CANCELLED', 'America/New_York', cancelled.startsAt],
      ]);
      const narrow = await ics(`/v1/admin/people/${f.personId}/calendar.ics?from=${booked.startsAt}&to=${cancelled.startsAt}`, viewer);
      expect(parseCalendar(narrow.text).events.map((e) => e.uid)).toEqual([`${booked.id}@general-scheduler`]);
    });

    it('a subscription URL serves the feed without a token until it is revoked; only a hash of its secret is stored', async () => {
      const { f, booked } = await staffed();
      const created = await t.api.post(`/v1/admin/people/${f.personId}/calendar-feeds`, { token: f.admin });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        personId: f.personId,
        createdAt: expect.any(String),
        url: expect.stringMatching(/^http:\/\/localhost:8000\/calendar-feeds\/[A-Za-z0-9_-]{43}\/calendar\.ics$/),
      });
      const path = new URL(created.body.url).pathname;
      const secret = path.split('/')[2];
      const subscribed = await request(t.app.getHttpServer()).get(path);
      expect(subscribed.status).toBe(200);
      expect(subscribed.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(parseCalendar(subscribed.text).events.map((e) => e.uid)).toContain(`${booked.id}@general-scheduler`);
      const [row] = (await t.db.query(`SELECT encode(token_hash, 'hex') AS hash FROM scheduler.calendar_feeds WHERE id = $1`, [created.body.id])) as { hash: string }[];
      expect(row.hash).toHaveLength(64);
      expect(row.hash).not.toContain(Buffer.from(secret).toString('hex'));

      const listed = await t.api.get(`/v1/admin/people/${f.personId}/calendar-feeds`, { token: f.admin });
      expect(listed.body).toEqual({ data: [{ id: created.body.id, personId: f.personId, createdAt: created.body.createdAt }], nextCursor: null });
      expect((await t.api.delete(`/v1/admin/people/${f.personId}/calendar-feeds/${created.body.id}`, { token: f.admin })).status).toBe(204);
      const revoked = await t.api.get(path);
      expect(revoked.status).toBe(404);
      expect(revoked.body.code).toBe('NOT_FOUND');
      expect((await t.api.delete(`/v1/admin/people/${f.personId}/calendar-feeds/${created.body.id}`, { token: f.admin })).status).toBe(404);
      expect((await t.api.get(`/v1/admin/people/${f.personId}/calendar-feeds`, { token: f.admin })).body.data).toEqual([]);
      expect((await t.api.get('/calendar-feeds/not-a-secret/calendar.ics')).status).toBe(404);
    });

    it("another business's person looks missing everywhere; viewers cannot create feeds; bad windows are 400", async () => {
      const { f } = await staffed();
      const g = await bookingFixture(t, { slots: 1 });
      const mine = await t.api.post(`/v1/admin/people/${f.personId}/calendar-feeds`, { token: f.admin });
      for (const [method, path] of [
        ['get', `/v1/admin/people/${f.personId}/calendar.ics`],
        ['post', `/v1/admin/people/${f.personId}/calendar-feeds`],
        ['get', `/v1/admin/people/${f.personId}/calendar-feeds`],
        ['delete', `/v1/admin/people/${f.personId}/calendar-feeds/${mine.body.id}`],
      ] as const) {
        const res = await t.api.call(method, path, { token: g.admin });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
      expect((await request(t.app.getHttpServer()).get(new URL(mine.body.url).pathname)).status).toBe(200);
      const viewer = await token({ roles: ['viewer'], biz: [f.bizEntityId] });
      expect((await t.api.post(`/v1/admin/people/${f.personId}/calendar-feeds`, { token: viewer })).status).toBe(403);
      const base = `/v1/admin/people/${f.personId}/calendar.ics`;
      for (const [query, message] of [
        ['from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z', 'must be after from'],
        ['from=2027-01-01T00:00:00Z&to=2028-01-03T00:00:00Z', 'must be at most 366 days after from'],
        ['from=yesterday', undefined],
      ] as const) {
        const res = await t.api.get(`${base}?${query}`, { token: f.admin });
        expect(res.status).toBe(400);
        if (message) expect(res.body.errors).toEqual([{ field: 'to', message }]);
      }
    });
  });
});
