import type { AvailabilityRuleRow, RuleColumns } from './availability-rules.repository';
import { RuleFields } from './rule-fields';

/** Database columns → API fields: NULL becomes absent, `HH:MM:SS` becomes `HH:mm`. */
export function ruleFieldsOf(rule: AvailabilityRuleRow): RuleFields {
  const fields: RuleFields = {
    weekdays: rule.weekdays?.map(Number),
    date: rule.date ?? undefined,
    startDate: rule.startDate ?? undefined,
    endDate: rule.endDate ?? undefined,
    startTime: rule.startTime?.slice(0, 5),
    endTime: rule.endTime?.slice(0, 5),
    slotMinutes: rule.slotMinutes ?? undefined,
    bufferBeforeMinutes: rule.bufferBeforeMinutes ?? undefined,
    bufferAfterMinutes: rule.bufferAfterMinutes ?? undefined,
    capacity: rule.capacity ?? undefined,
    validFrom: rule.validFrom ?? undefined,
    validUntil: rule.validUntil ?? undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as RuleFields;
}

/** API fields → columns; absent fields become NULL. */
export function columnsOf(fields: RuleFields): RuleColumns {
  return {
    weekdays: fields.weekdays ? [...fields.weekdays].sort((a, b) => a - b) : null,
    date: fields.date ?? null,
    startDate: fields.startDate ?? null,
    endDate: fields.endDate ?? null,
    startTime: fields.startTime ?? null,
    endTime: fields.endTime ?? null,
    slotMinutes: fields.slotMinutes ?? null,
    bufferBeforeMinutes: fields.bufferBeforeMinutes ?? null,
    bufferAfterMinutes: fields.bufferAfterMinutes ?? null,
    capacity: fields.capacity ?? null,
    validFrom: fields.validFrom ?? null,
    validUntil: fields.validUntil ?? null,
  };
}
