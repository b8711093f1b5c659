import { minutesOfDay } from '../common/validation/calendar';
import { RuleFields } from './rule-fields';
import type { RuleKind } from './rule-fields';

export interface RuleWindow extends RuleFields {
  id: string;
  kind: RuleKind;
}

/**
 * The rules `candidate` overlaps (DOMAIN.md §Availability): weekly windows of one person
 * that share a time on a date both apply to, or timed overrides on the same date whose
 * windows overlap. Blackouts and days off never conflict. Intervals are half-open, so a
 * window ending at 12:00 and one starting at 12:00 do not overlap.
 */
export function conflictingRuleIds(candidate: RuleWindow, others: readonly RuleWindow[]): string[] {
  return others.filter((other) => other.id !== candidate.id && conflicts(candidate, other)).map((other) => other.id);
}

function conflicts(a: RuleWindow, b: RuleWindow): boolean {
  if (a.kind !== b.kind || !timesOverlap(a, b)) return false;
  if (a.kind === 'override') return a.date === b.date;
  if (a.kind === 'weekly') return shareADate(a, b);
  return false;
}

function timesOverlap(a: RuleFields, b: RuleFields): boolean {
  if (!a.startTime || !a.endTime || !b.startTime || !b.endTime) return false;
  return minutesOfDay(a.startTime) < minutesOfDay(b.endTime) && minutesOfDay(b.startTime) < minutesOfDay(a.endTime);
}

/** Is there a date inside both validity ranges that falls on a weekday both rules list? */
function shareADate(a: RuleFields, b: RuleFields): boolean {
  const shared = (a.weekdays ?? []).filter((day) => (b.weekdays ?? []).includes(day));
  if (shared.length === 0) return false;
  const from = latest(a.validFrom, b.validFrom);
  const until = earliest(a.validUntil, b.validUntil);
  // Unbounded on either side: the common range holds every weekday.
  if (from === undefined || until === undefined) return true;
  for (let day = from, seen = 0; day <= until && seen < 7; day = nextDate(day), seen += 1) {
    if (shared.includes(isoWeekday(day))) return true;
  }
  return false;
}

function latest(x: string | undefined, y: string | undefined): string | undefined {
  if (x === undefined) return y;
  if (y === undefined) return x;
  return x > y ? x : y;
}

function earliest(x: string | undefined, y: string | undefined): string | undefined {
  if (x === undefined) return y;
  if (y === undefined) return x;
  return x < y ? x : y;
}

function asUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function nextDate(date: string): string {
  const next = asUtc(date);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((asUtc(date).getUTCDay() + 6) % 7) + 1;
}
