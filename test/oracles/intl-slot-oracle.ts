import type { RuleWindow } from '../../src/availability/rule-conflicts';

/**
 * A second, deliberately naive reading of DOMAIN.md §Slot generation, for property tests of
 * src/slots/slot-planner.ts. It shares no code with the planner and does not use luxon:
 * a zone's wall-clock at an instant comes from Intl.DateTimeFormat#formatToParts, calendar
 * arithmetic is done here (days from civil), and a wall-clock time is resolved by trying
 * candidate instants and reading each back. Everything counts in whole minutes; it is slow
 * on purpose (no shortcuts across dates or slots).
 */

export interface OracleSlot {
  ruleId: string;
  startsAt: number;
  endsAt: number;
  bufferedStartsAt: number;
  bufferedEndsAt: number;
  localStart: string;
  capacity: number;
}

export interface OracleSkip extends OracleSlot {
  overlaps: OracleSlot;
}

export interface OracleInput {
  timezone: string;
  from: string;
  to: string;
  rules: readonly RuleWindow[];
}

export interface Transition {
  /** Epoch ms of the first instant with the new offset. */
  instant: number;
  /** Wall-clock one minute before, `YYYY-MM-DDTHH:mm`. */
  before: string;
  /** Wall-clock at the instant. */
  after: string;
}

const MINUTES_PER_DAY = 1440;
const MS_PER_MINUTE = 60_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "days_from_civil"). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [month <= 2 ? yearOfEra + era * 400 + 1 : yearOfEra + era * 400, month, day];
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

export function parseDate(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return daysFromCivil(year, month, day);
}

export function formatDate(days: number): string {
  const [year, month, day] = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function parseClock(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** A local minute number (days × 1440 + minute of day) as `YYYY-MM-DDTHH:mm`. */
function formatLocal(local: number): string {
  const days = Math.floor(local / MINUTES_PER_DAY);
  const minute = local - days * MINUTES_PER_DAY;
  return `${formatDate(days)}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

class IntlZone {
  private readonly format: Intl.DateTimeFormat;
  private readonly readings = new Map<number, number>();

  constructor(name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** The local minute number the zone's clocks show at instant `minute` (minutes since epoch). */
  wallAt(minute: number): number {
    const cached = this.readings.get(minute);
    if (cached !== undefined) return cached;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(minute * MS_PER_MINUTE))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    // Some ICU versions print midnight as 24 even with h23.
    const hour = parts.hour === 24 ? 0 : parts.hour;
    const local = daysFromCivil(parts.year, parts.month, parts.day) * MINUTES_PER_DAY + hour * 60 + parts.minute;
    if (this.readings.size > 500_000) this.readings.clear();
    this.readings.set(minute, local);
    return local;
  }

  offsetAt(minute: number): number {
    return this.wallAt(minute) - minute;
  }

  /** Every instant whose clocks read `local`, ascending: none in a gap, two in a fold. */
  instantsReading(local: number): number[] {
    const around = [local - MINUTES_PER_DAY, local, local + MINUTES_PER_DAY];
    const offsets = new Set(around.map((instant) => this.offsetAt(instant)));
    return [...offsets]
      .map((offset) => local - offset)
      .filter((instant) => this.wallAt(instant) === local)
      .sort((a, b) => a - b);
  }

  /** Temporal disambiguation 'earlier' without the gap case ('reject'). */
  earlier(local: number): number | undefined {
    return this.instantsReading(local)[0];
  }

  /** Temporal disambiguation 'later', as the Temporal spec's DisambiguatePossibleEpochNanoseconds. */
  later(local: number): number {
    const possible = this.instantsReading(local);
    if (possible.length > 0) return possible[possible.length - 1];
    const shift = this.offsetAt(local + MINUTES_PER_DAY) - this.offsetAt(local - MINUTES_PER_DAY);
    const shifted = this.instantsReading(local + shift);
    return shifted[shifted.length - 1];
  }

  /** The first instant whose clocks read `local` or later, found by walking minute by minute. */
  firstAtOrAfter(local: number): number {
    const exact = this.earlier(local);
    if (exact !== undefined) return exact;
    let instant = local - Math.max(this.offsetAt(local - MINUTES_PER_DAY), this.offsetAt(local + MINUTES_PER_DAY));
    while (this.wallAt(instant) < local) instant += 1;
    return instant;
  }
}

const zones = new Map<string, IntlZone>();

function zoneNamed(name: string): IntlZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new IntlZone(name);
    zones.set(name, zone);
  }
  return zone;
}

/** The zone's wall-clock at an epoch-ms instant (whole minutes), `YYYY-MM-DDTHH:mm`. */
export function wallClockAt(timezone: string, epochMs: number): string {
  return formatLocal(zoneNamed(timezone).wallAt(Math.floor(epochMs / MS_PER_MINUTE)));
}

/** Offset changes between the two dates' UTC midnights (at most one per day). */
export function transitions(timezone: string, from: string, to: string): Transition[] {
  const zone = zoneNamed(timezone);
  const found: Transition[] = [];
  for (let day = parseDate(from); day <= parseDate(to); day += 1) {
    let low = day * MINUTES_PER_DAY;
    let high = low + MINUTES_PER_DAY;
    if (zone.offsetAt(low) === zone.offsetAt(high)) continue;
    const before = zone.offsetAt(low);
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (zone.offsetAt(middle) === before) low = middle;
      else high = middle;
    }
    found.push({
      instant: high * MS_PER_MINUTE,
      before: formatLocal(zone.wallAt(high - 1)),
      after: formatLocal(zone.wallAt(high)),
    });
  }
  return found;
}

/** The instants a window of `date` spans: from the first whose clocks reach `startTime` to the later reading of `endTime`. */
export function windowInstants(timezone: string, date: string, startTime: string, endTime: string): { start: number; end: number } {
  const zone = zoneNamed(timezone);
  const day = parseDate(date) * MINUTES_PER_DAY;
  return {
    start: zone.firstAtOrAfter(day + parseClock(startTime)) * MS_PER_MINUTE,
    end: zone.later(day + parseClock(endTime)) * MS_PER_MINUTE,
  };
}

function isoWeekday(days: number): number {
  const sundayFirst = (((days + 4) % 7) + 7) % 7;
  return sundayFirst === 0 ? 7 : sundayFirst;
}

interface Span {
  start: number;
  end: number;
}

export function oracleSlots(input: OracleInput): OracleSlot[] {
  return oraclePlan(input).slots;
}

/** The slots, and those not made because a slot of another window (rule and date) came first. */
export function oraclePlan(input: OracleInput): { slots: OracleSlot[]; skipped: OracleSkip[] } {
  const zone = zoneNamed(input.timezone);
  const first = parseDate(input.from);
  const last = parseDate(input.to);

  const generated: OracleSlot[] = [];
  for (let day = first; day <= last; day += 1) {
    const date = formatDate(day);
    const overrides = input.rules.filter((rule) => rule.kind === 'override' && rule.date === date);
    const windows =
      overrides.length > 0
        ? overrides.filter((rule) => rule.startTime !== undefined)
        : input.rules.filter(
            (rule) =>
              rule.kind === 'weekly' &&
              (rule.weekdays ?? []).includes(isoWeekday(day)) &&
              (rule.validFrom === undefined || rule.validFrom <= date) &&
              (rule.validUntil === undefined || date <= rule.validUntil),
          );
    for (const rule of windows) {
      const start = parseClock(rule.startTime as string);
      const end = parseClock(rule.endTime as string);
      const length = rule.slotMinutes as number;
      const before = rule.bufferBeforeMinutes ?? 0;
      const after = rule.bufferAfterMinutes ?? 0;
      const windowStart = zone.firstAtOrAfter(day * MINUTES_PER_DAY + start);
      const windowEnd = zone.later(day * MINUTES_PER_DAY + end);
      // Each step is the buffered span on the wall clock; the slot starts `before` into it.
      for (let step = start; step < end; step += before + length + after) {
        const minute = step + before;
        if (minute >= end) continue;
        const startsAt = zone.earlier(day * MINUTES_PER_DAY + minute);
        if (startsAt === undefined || startsAt - before < windowStart || startsAt + length + after > windowEnd) continue;
        generated.push({
          ruleId: rule.id,
          startsAt: startsAt * MS_PER_MINUTE,
          endsAt: (startsAt + length) * MS_PER_MINUTE,
          bufferedStartsAt: (startsAt - before) * MS_PER_MINUTE,
          bufferedEndsAt: (startsAt + length + after) * MS_PER_MINUTE,
          localStart: formatLocal(day * MINUTES_PER_DAY + minute),
          capacity: rule.capacity ?? 1,
        });
      }
    }
  }
  // Ties: shorter first, then by rule id, so the overlap rule below keeps a definite slot.
  generated.sort(
    (a, b) => a.startsAt - b.startsAt || a.endsAt - b.endsAt || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );

  const kept: OracleSlot[] = [];
  const skipped: OracleSkip[] = [];
  for (const slot of generated) {
    // Reported against the latest kept slot it overlaps.
    const clash = kept.filter((other) => other.bufferedStartsAt < slot.bufferedEndsAt && slot.bufferedStartsAt < other.bufferedEndsAt).pop();
    if (clash === undefined) kept.push(slot);
    else if (clash.ruleId !== slot.ruleId || clash.localStart.slice(0, 10) !== slot.localStart.slice(0, 10)) {
      skipped.push({ ...slot, overlaps: clash });
    }
  }

  const blackouts: Span[] = [];
  for (const rule of input.rules) {
    if (rule.kind !== 'blackout') continue;
    const from = Math.max(parseDate(rule.startDate as string), first - 3);
    const to = Math.min(parseDate(rule.endDate as string), last + 3);
    for (let day = from; day <= to; day += 1) {
      const start = rule.startTime === undefined ? 0 : parseClock(rule.startTime);
      const end = rule.endTime === undefined ? MINUTES_PER_DAY : parseClock(rule.endTime);
      blackouts.push({
        start: zone.firstAtOrAfter(day * MINUTES_PER_DAY + start) * MS_PER_MINUTE,
        end: zone.later(day * MINUTES_PER_DAY + end) * MS_PER_MINUTE,
      });
    }
  }
  const open = (slot: OracleSlot): boolean =>
    !blackouts.some((span) => span.start < slot.bufferedEndsAt && slot.bufferedStartsAt < span.end);
  return { slots: kept.filter(open), skipped: skipped.filter(open) };
}
