import type { RuleJson } from '../../factories/catalogue';
import type { RuleRow } from '../people/people-helpers';

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
