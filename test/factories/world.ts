import { randomUUID } from 'node:crypto';
import type { CallOptions } from '../utils/contract';
import { fillTemplate, RouteOperation } from '../utils/route-table';
import { TestApp, token } from '../utils/test-app';
import { createLocation, staffedLocation } from './catalogue';
import { createBusiness, createUser, locationBody } from './factories';

/**
 * A whole business as the API builds it, for tests that sweep every operation of the contract
 * (the never-500 fuzz, the generated auth and tenancy matrices): its ids by kind, real cursors
 * and callers of each role.
 */

const DAY_MS = 86_400_000;
export const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);
export const hoursFromNow = (hours: number): string => new Date(Date.now() + hours * 3_600_000).toISOString();

export type Kind = 'location' | 'person' | 'rule' | 'slot' | 'booking' | 'exposure' | 'user' | 'biz' | 'webhook' | 'delivery' | 'feed';

export interface World {
  ids: Record<Kind, string[]>;
  /** Real `nextCursor`s, so some cursors get past decoding. */
  cursors: string[];
  tokens: { admin: string; viewer: string; user: string; otherAdmin: string };
}

/** Which kind of id a field or path parameter names: `personIds` → person, `/bookings/{id}` → booking. */
const KIND_BY_WORD: Record<string, Kind> = {
  location: 'location',
  locations: 'location',
  person: 'person',
  people: 'person',
  'availability-rules': 'rule',
  slot: 'slot',
  slots: 'slot',
  booking: 'booking',
  bookings: 'booking',
  exposure: 'exposure',
  exposures: 'exposure',
  user: 'user',
  bizEntity: 'biz',
  webhooks: 'webhook',
  delivery: 'delivery',
  deliveries: 'delivery',
  feed: 'feed',
  'calendar-feeds': 'feed',
};

export const kindOfField = (name: string): Kind | undefined => KIND_BY_WORD[name.replace(/Ids?$/, '')];

export function kindOfPathParameter(template: string, name: string): Kind | undefined {
  if (name !== 'id') return kindOfField(name);
  const segments = template.split('/');
  return KIND_BY_WORD[segments[segments.indexOf('{id}') - 1]];
}

/** The operation's path on the world's resources (or, `unknownIds`, on ids no row has), required query included. */
export function pathIn(world: World, operation: RouteOperation, unknownIds = false): string {
  const idOf = (param: string, kind = kindOfPathParameter(operation.template, param)): string => {
    if (!kind) throw new Error(`no fixture id for ${param} in ${operation.template}`);
    return unknownIds ? randomUUID() : world.ids[kind][0];
  };
  const query = operation.requiredQuery.map((param) => `${param}=${idOf(param, kindOfField(param))}`).join('&');
  return fillTemplate(operation.template, (param) => idOf(param)) + (query ? `?${query}` : '');
}


/**
 * A business with a location, two people with hourly slots 09:00–17:00 for the next days, a
 * user who browsed it and holds one slot and has another booked; another business's location.
 * All through the API, as in the other e2e fixtures.
 */
export async function buildWorld(t: TestApp): Promise<World> {
  const ok = async (callerToken: string, method: 'get' | 'post', path: string, status: number, options: CallOptions = {}) => {
    const res = await t.api.call(method, path, { token: callerToken, ...options });
    if (res.status !== status) throw new Error(`fixture ${method.toUpperCase()} ${path}: ${res.status} ${res.text}`);
    return res.body as Record<string, unknown> & { id: string };
  };
  const biz = await createBusiness(t.db);
  const admin = await token({ roles: ['admin'], biz: [biz] });
  const { location, people } = await staffedLocation(t, admin, biz, { people: ['Ana', 'Ben'], from: isoDay(1), to: isoDay(4) });
  const userId = await createUser(t.db);
  const user = await token({ sub: userId });
  const exposure = await ok(user, 'get', `/v1/locations/${location.id}/slots`, 200);
  const offered = (exposure.slots as { id: string }[]).map((slot) => slot.id);
  const held = await ok(user, 'post', '/v1/bookings', 201, { body: { slotId: offered[0] }, headers: { 'Idempotency-Key': randomUUID() } });
  const slotPage = await ok(admin, 'get', `/v1/admin/slots?locationId=${location.id}&limit=12`, 200);
  const slots = (slotPage.data as { id: string }[]).map((slot) => slot.id).filter((slot) => !offered.includes(slot)).slice(0, 3);
  const booked = await ok(admin, 'post', '/v1/admin/bookings', 201, { body: { slotId: slots[0], userId } });
  const rulePage = await ok(admin, 'get', `/v1/admin/availability-rules?locationId=${location.id}&limit=1`, 200);
  const rules = await ok(admin, 'get', `/v1/admin/availability-rules?locationId=${location.id}`, 200);
  const webhook = await ok(admin, 'post', '/v1/admin/webhooks', 201, { body: { bizEntityId: biz, url: 'https://hooks.example.com/in' } });
  const delivery = await ok(admin, 'post', `/v1/admin/webhooks/${webhook.id}/test`, 202);
  const feed = await ok(admin, 'post', `/v1/admin/people/${people[0]}/calendar-feeds`, 201);
  const otherBiz = await createBusiness(t.db);
  const otherAdmin = await token({ roles: ['admin'], biz: [otherBiz] });
  const elsewhere = await createLocation(t, otherAdmin, otherBiz);
  return {
    ids: {
      location: [location.id, elsewhere.id],
      person: people,
      rule: (rules.data as { id: string }[]).map((rule) => rule.id),
      slot: [...offered.slice(0, 3), ...slots],
      booking: [held.id, booked.id],
      exposure: [exposure.exposureId as string],
      user: [userId, await createUser(t.db)],
      biz: [biz, otherBiz],
      webhook: [webhook.id],
      delivery: [delivery.id],
      feed: [feed.id],
    },
    cursors: [slotPage.nextCursor as string, rulePage.nextCursor as string],
    tokens: { admin, viewer: await token({ roles: ['viewer'], biz: [biz] }), user, otherAdmin },
  };
}

/** Every scheduler table but idempotency_keys, which may legitimately record a refusal. */
export const COUNTED_TABLES = [
  'locations',
  'people',
  'availability_rules',
  'slot_instances',
  'bookings',
  'booking_events',
  'exposures',
  'exposure_slots',
  'outbox_events',
  'webhook_endpoints',
  'webhook_deliveries',
  'calendar_feeds',
];
export const COUNT_ROWS = `SELECT ${COUNTED_TABLES.map((table) => `(SELECT count(*)::int FROM scheduler.${table}) AS ${table}`).join(', ')}`;

/**
 * Bodies the API accepts, per operation. Plausible requests send them with a field or two
 * changed or dropped, which is what reaches the business rules (conflicts, windows, capacity)
 * rather than the validator. An operation missing here still gets schema-built bodies.
 */
export function acceptedBodies(world: World, operation: { method: string; template: string }): Record<string, unknown>[] {
  const [locationId] = world.ids.location;
  const [personId] = world.ids.person;
  const [userId] = world.ids.user;
  const [biz] = world.ids.biz;
  const slotId = world.ids.slot[world.ids.slot.length - 1];
  const window = { from: hoursFromNow(-24), to: hoursFromNow(10 * 24) };
  const byOperation: Record<string, Record<string, unknown>[]> = {
    'POST /v1/admin/locations': [locationBody(biz, { policy: { holdTtlSeconds: 60, requireExposure: false } })],
    'PATCH /v1/admin/locations/{id}': [
      { name: 'Renamed' },
      { timezone: 'Asia/Dubai' },
      { active: false },
      { policy: { bookingHorizonDays: 2, minNoticeMinutes: 600 } },
      { metadata: { site: 'DXB-1', legacy: null } },
    ],
    'POST /v1/admin/people': [{ locationId, name: 'Cai', email: 'cai@example.com', weight: 2, metadata: { staffNo: '0042' } }],
    'PATCH /v1/admin/people/{id}': [{ weight: 0.5 }, { active: false }, { metadata: { staffNo: '0043', room: null } }],
    'POST /v1/admin/availability-rules': [
      { personId, kind: 'weekly', weekdays: [1, 3], startTime: '18:00', endTime: '20:00', slotMinutes: 30 },
      { personId, kind: 'override', date: isoDay(2), startTime: '10:00', endTime: '24:00', slotMinutes: 45, bufferMinutes: 15, capacity: 3 },
      { personId, kind: 'override', date: isoDay(3) },
      { personId, kind: 'blackout', startDate: isoDay(2), endDate: isoDay(3) },
    ],
    'PATCH /v1/admin/availability-rules/{id}': [{ startTime: '08:00', endTime: '12:00' }, { slotMinutes: 25, capacity: 2 }, { validFrom: isoDay(2), validUntil: null }],
    'POST /v1/admin/slot-generations': [{ locationId, from: isoDay(0), to: isoDay(6) }, { locationId, personIds: [personId], from: isoDay(2), to: isoDay(2) }],
    'PATCH /v1/admin/slots/{id}': [{ status: 'blocked' }, { status: 'open', capacity: 3 }],
    'POST /v1/bookings': [{ slotId, notes: 'first visit', metadata: { orderRef: 'W-1187' } }],
    'POST /v1/bookings/{id}/cancel': [{ reason: 'cannot come' }],
    'POST /v1/bookings/{id}/reschedule': [{ slotId }],
    'POST /v1/admin/bookings': [{ slotId, userId, status: 'held', notes: 'by phone', metadata: { channel: 'phone' } }],
    'PATCH /v1/admin/bookings/{id}': [{ metadata: { crmId: 'C-1', channel: null } }, { notes: 'called back' }, { notes: null, metadata: {} }],
    'POST /v1/admin/bookings/bulk-cancel': [{ locationId, personIds: [personId], ...window, reason: 'closed' }],
    'POST /v1/admin/bookings/{id}/cancel': [{ reason: 'clinic closed' }],
    'POST /v1/admin/bookings/{id}/reschedule': [{ slotId }],
    'POST /v1/admin/webhooks': [{ bizEntityId: biz, url: 'https://hooks.example.com/in', events: ['booking.held'], description: 'CRM' }],
    'PATCH /v1/admin/webhooks/{id}': [{ enabled: false }, { events: null, description: null }, { url: 'http://10.0.0.1/in' }],
  };
  return byOperation[`${operation.method.toUpperCase()} ${operation.template}`] ?? [];
}

