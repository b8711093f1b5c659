import type { DataSource } from 'typeorm';
import type { TestApp } from '../../utils/test-app';

export const GENERATE = '/v1/admin/slot-generations';
export const ADMIN_SLOTS = '/v1/admin/slots';
export const ADMIN_RULES = '/v1/admin/availability-rules';

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

/** The business these suites use: one Dubai location (UTC+4, no DST), one person, Rana. */
export const SLOTS_TENANT = { timezone: 'Asia/Dubai', person: { name: 'Rana' } } as const;

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

