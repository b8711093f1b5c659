import type { RuleJson, RuleRow } from '../people/people-helpers';

export const RULE_DATES = Object.freeze({
  override: '2027-03-10',
  dayOff: '2027-03-11',
  blackoutFrom: '2027-04-01',
  blackoutUntil: '2027-04-03',
});

/** Valid create bodies per kind; `undefined` in `overrides` removes a field. */
function body(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== undefined));
}

export const weeklyBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'weekly', weekdays: [1, 3, 5], startTime: '09:00', endTime: '17:00', slotMinutes: 30 }, overrides);

export const overrideBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'override', date: RULE_DATES.override, startTime: '10:00', endTime: '14:00', slotMinutes: 20 }, overrides);

export const dayOffBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'override', date: RULE_DATES.dayOff }, overrides);

export const blackoutBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'blackout', startDate: RULE_DATES.blackoutFrom, endDate: RULE_DATES.blackoutUntil }, overrides);

/** The row a rule response should have been read from (`HH:mm` ↔ `HH:MM:SS`, absent ↔ NULL). */
export function expectedRow(rule: RuleJson, biz: string): RuleRow {
  const time = (value: string | undefined): string | null => (value === undefined ? null : `${value}:00`);
  return {
    id: rule.id,
    biz_entity_id: biz,
    location_id: rule.locationId,
    person_id: rule.personId,
    kind: rule.kind,
    weekdays: rule.weekdays ?? null,
    date: rule.date ?? null,
    start_date: rule.startDate ?? null,
    end_date: rule.endDate ?? null,
    start_time: time(rule.startTime),
    end_time: time(rule.endTime),
    slot_minutes: rule.slotMinutes ?? null,
    buffer_before_minutes: rule.bufferBeforeMinutes ?? null,
    buffer_after_minutes: rule.bufferAfterMinutes ?? null,
    capacity: rule.capacity ?? null,
    valid_from: rule.validFrom ?? null,
    valid_until: rule.validUntil ?? null,
    active: rule.active,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
  };
}
