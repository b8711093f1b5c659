import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { createBusiness, locationBody } from '../../factories/factories';
import { TestApp, token } from '../../utils/test-app';

export const GENERATE = '/v1/admin/slot-generations';
export const ADMIN_SLOTS = '/v1/admin/slots';
export const ADMIN_RULES = '/v1/admin/availability-rules';
const ADMIN_LOCATIONS = '/v1/admin/locations';
const ADMIN_PEOPLE = '/v1/admin/people';

/** A well-formed UUID that no row will ever have. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** Mondays 09:00–11:00 local, one-hour slots: two slots per Monday. */
export const MONDAY_MORNINGS = { kind: 'weekly', weekdays: [1], startTime: '09:00', endTime: '11:00', slotMinutes: 60 } as const;
/** Two Mondays (2027-01-04 and 2027-01-11). */
export const TWO_WEEKS = { from: '2027-01-04', to: '2027-01-17' } as const;

/** A slot as the admin API shows it. */
export interface SlotJson {
  id: string;
  locationId: string;
  personId: string;
  startsAt: string;
  endsAt: string;
  localStart: string;
  timezone: string;
  capacity: number;
  booked: number;
  remaining: number;
  status: 'open' | 'blocked' | 'retired';
}

export interface SlotPage {
  data: SlotJson[];
  nextCursor: string | null;
}

/** A row of `scheduler.slot_instances`, every column. */
export interface SlotRow {
  id: string;
  biz_entity_id: string;
  location_id: string;
  person_id: string;
  rule_id: string | null;
  starts_at: string;
  ends_at: string;
  local_start: string;
  capacity: number;
  status: string;
  created_at: string;
  updated_at: string;
}

/** One business with an admin, a viewer and a plain user, one location and one person in it. */
export interface Tenant {
  biz: string;
  admin: string;
  viewer: string;
  user: string;
  locationId: string;
  personId: string;
}

export async function createTenant(t: TestApp, timezone = 'Asia/Dubai'): Promise<Tenant> {
  const biz = await createBusiness(t.db);
  const admin = await token({ roles: ['admin'], biz: [biz] });
  const viewer = await token({ roles: ['viewer'], biz: [biz] });
  const user = await token({ roles: ['user'], biz: [biz] });
  const locationId = await createLocation(t, admin, biz, timezone);
  const personId = await createPerson(t, admin, locationId, 'Rana');
  return { biz, admin, viewer, user, locationId, personId };
}

export async function createLocation(t: TestApp, admin: string, biz: string, timezone = 'Asia/Dubai'): Promise<string> {
  const res = await t.api.post(ADMIN_LOCATIONS, { token: admin, body: locationBody(biz, { timezone }) });
  if (res.status !== 201) throw new Error(`creating a location answered ${res.status}: ${res.text}`);
  return (res.body as { id: string }).id;
}

export async function createPerson(t: TestApp, admin: string, locationId: string, name: string): Promise<string> {
  const res = await t.api.post(ADMIN_PEOPLE, { token: admin, body: { locationId, name } });
  if (res.status !== 201) throw new Error(`creating a person answered ${res.status}: ${res.text}`);
  return (res.body as { id: string }).id;
}

export async function addRule(t: TestApp, admin: string, personId: string, rule: Record<string, unknown> = MONDAY_MORNINGS): Promise<string> {
  const res = await t.api.post(ADMIN_RULES, { token: admin, body: { personId, ...rule } });
  if (res.status !== 201) throw new Error(`creating a rule answered ${res.status}: ${res.text}`);
  return (res.body as { id: string }).id;
}

/** A generation run that must succeed; answers its report. */
export async function generate(
  t: TestApp,
  admin: string,
  locationId: string,
  range: { from: string; to: string } = TWO_WEEKS,
): Promise<Record<string, unknown>> {
  const res = await t.api.post(GENERATE, { token: admin, body: { locationId, ...range } });
  if (res.status !== 200) throw new Error(`generating answered ${res.status}: ${res.text}`);
  return res.body as Record<string, unknown>;
}

export async function listSlots(t: TestApp, caller: string, query = ''): Promise<SlotPage> {
  const res = await t.api.get(`${ADMIN_SLOTS}${query ? `?${query}` : ''}`, { token: caller });
  if (res.status !== 200) throw new Error(`listing slots answered ${res.status}: ${res.text}`);
  return res.body as SlotPage;
}

const SLOT_COLUMNS = `id, biz_entity_id, location_id, person_id, rule_id,
  to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS starts_at,
  to_char(ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ends_at,
  local_start, capacity, status,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

export async function slotRow(db: DataSource, id: string): Promise<SlotRow | undefined> {
  const [row] = (await db.query(`SELECT ${SLOT_COLUMNS} FROM scheduler.slot_instances WHERE id = $1`, [id])) as SlotRow[];
  return row;
}

/** Every slot row of a business, in a stable order: what a refused write must leave untouched. */
export async function slotRowsOfBusiness(db: DataSource, biz: string): Promise<SlotRow[]> {
  return (await db.query(`SELECT ${SLOT_COLUMNS} FROM scheduler.slot_instances WHERE biz_entity_id = $1 ORDER BY starts_at, id`, [
    biz,
  ])) as SlotRow[];
}

/** The slot rows of a person in (start, id) order. */
export async function slotRowsOfPerson(db: DataSource, personId: string): Promise<SlotRow[]> {
  return (await db.query(`SELECT ${SLOT_COLUMNS} FROM scheduler.slot_instances WHERE person_id = $1 ORDER BY starts_at, id`, [
    personId,
  ])) as SlotRow[];
}

/** Moves a slot's `updated_at` an hour back, so that a later write would visibly change it. */
export async function backdateSlot(db: DataSource, id: string): Promise<void> {
  await db.query(`UPDATE scheduler.slot_instances SET updated_at = updated_at - interval '1 hour' WHERE id = $1`, [id]);
}

/** The admin list's order: start, then id (UUIDs compare like their lower-case text). */
export function inSlotOrder<T extends { startsAt: string; id: string }>(slots: T[]): T[] {
  const key = (slot: T): string => `${slot.startsAt}|${slot.id}`;
  return [...slots].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

