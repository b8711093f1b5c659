import { FieldError } from '../common/errors/domain-error';
import { minutesOfDay } from '../common/validation/calendar';

export const RULE_KINDS = ['weekly', 'override', 'blackout'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** A rule's own fields, as the API names them; absent fields are undefined. */
export interface RuleFields {
  weekdays?: number[];
  date?: string;
  startDate?: string;
  endDate?: string;
  startTime?: string;
  endTime?: string;
  slotMinutes?: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  capacity?: number;
  validFrom?: string;
  validUntil?: string;
}

/** A rule's fields as a request may give them: `bufferMinutes` is the deprecated name of `bufferAfterMinutes`. */
export interface RuleFieldsInput extends RuleFields {
  bufferMinutes?: number;
}

type FieldName = keyof RuleFieldsInput;
type Presence = 'required' | 'optional' | 'withTimes' | 'forbidden';

/** DOMAIN.md §Availability, the table of fields per kind. */
const FIELDS_BY_KIND: Record<RuleKind, Record<FieldName, Presence>> = {
  weekly: {
    weekdays: 'required',
    date: 'forbidden',
    startDate: 'forbidden',
    endDate: 'forbidden',
    startTime: 'required',
    endTime: 'required',
    slotMinutes: 'required',
    bufferMinutes: 'optional',
    bufferBeforeMinutes: 'optional',
    bufferAfterMinutes: 'optional',
    capacity: 'optional',
    validFrom: 'optional',
    validUntil: 'optional',
  },
  override: {
    weekdays: 'forbidden',
    date: 'required',
    startDate: 'forbidden',
    endDate: 'forbidden',
    startTime: 'optional',
    endTime: 'optional',
    slotMinutes: 'withTimes',
    bufferMinutes: 'optional',
    bufferBeforeMinutes: 'optional',
    bufferAfterMinutes: 'optional',
    capacity: 'optional',
    validFrom: 'forbidden',
    validUntil: 'forbidden',
  },
  blackout: {
    weekdays: 'forbidden',
    date: 'forbidden',
    startDate: 'required',
    endDate: 'required',
    startTime: 'optional',
    endTime: 'optional',
    slotMinutes: 'forbidden',
    bufferMinutes: 'forbidden',
    bufferBeforeMinutes: 'forbidden',
    bufferAfterMinutes: 'forbidden',
    capacity: 'forbidden',
    validFrom: 'forbidden',
    validUntil: 'forbidden',
  },
};

/**
 * Every reason a set of fields is not a valid rule of `kind`: a field of another kind, a
 * missing required field, times given alone, or bounds the wrong way round. Formats and
 * ranges of single fields are the DTO's job.
 */
export function ruleShapeErrors(kind: RuleKind, fields: RuleFieldsInput): FieldError[] {
  const errors: FieldError[] = [];
  const hasTimes = fields.startTime !== undefined || fields.endTime !== undefined;
  for (const [field, presence] of Object.entries(FIELDS_BY_KIND[kind]) as [FieldName, Presence][]) {
    const present = fields[field] !== undefined;
    if (presence === 'forbidden' && present) errors.push({ field, message: `does not belong to a ${kind} rule` });
    if (presence === 'required' && !present) errors.push({ field, message: `is required for a ${kind} rule` });
    if (presence === 'withTimes' && present && !hasTimes) {
      errors.push({ field, message: `needs startTime and endTime (an ${kind} without times is a day off)` });
    }
  }
  if (kind === 'override' && hasTimes && fields.slotMinutes === undefined) {
    errors.push({ field: 'slotMinutes', message: 'is required when an override has times' });
  }
  if ((fields.startTime === undefined) !== (fields.endTime === undefined)) {
    errors.push({ field: fields.startTime === undefined ? 'startTime' : 'endTime', message: 'is required with the other time' });
  } else if (fields.startTime !== undefined && fields.endTime !== undefined) {
    if (minutesOfDay(fields.endTime) <= minutesOfDay(fields.startTime)) {
      errors.push({ field: 'endTime', message: 'must be after startTime' });
    }
  }
  if (fields.bufferMinutes !== undefined && fields.bufferAfterMinutes !== undefined && fields.bufferMinutes !== fields.bufferAfterMinutes) {
    errors.push({ field: 'bufferMinutes', message: 'is the old name of bufferAfterMinutes and must not differ from it' });
  }
  if (fields.validFrom !== undefined && fields.validUntil !== undefined && fields.validFrom > fields.validUntil) {
    errors.push({ field: 'validUntil', message: 'must not be before validFrom' });
  }
  if (fields.startDate !== undefined && fields.endDate !== undefined && fields.startDate > fields.endDate) {
    errors.push({ field: 'endDate', message: 'must not be before startDate' });
  }
  // One message per field: a missing time is reported once, not also as "needs the other".
  return errors.filter((error, index) => errors.findIndex((other) => other.field === error.field) === index);
}

/** The fields with the deprecated `bufferMinutes` read as `bufferAfterMinutes` (after `ruleShapeErrors` found none). */
export function withoutBufferAlias(fields: RuleFieldsInput): RuleFields {
  const { bufferMinutes, ...rest } = fields;
  return bufferMinutes === undefined || rest.bufferAfterMinutes !== undefined ? rest : { ...rest, bufferAfterMinutes: bufferMinutes };
}
