import { RuleWindow } from '../availability/rule-conflicts';
import { minutesOfDay } from '../common/validation/calendar';
import { DAY_MS, MINUTE_MS, ZoneTimeline, zoneTimeline } from './zoned-time';

export interface PlannedSlot {
  ruleId: string;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms; always `startsAt + slotMinutes` of real time. */
  endsAt: number;
  /** Epoch ms; `startsAt - bufferBeforeMinutes` of real time, never before the window's start. */
  bufferedStartsAt: number;
  /** Epoch ms; `endsAt + bufferAfterMinutes` of real time, never after the window's end. */
  bufferedEndsAt: number;
  /** Wall-clock start in the zone, `YYYY-MM-DDTHH:mm`. */
  localStart: string;
  capacity: number;
}

/** A slot the rules describe but that is not made: its buffered span overlaps a kept slot of another window. */
export interface SkippedSlot extends PlannedSlot {
  /** The slot that keeps its place (the one starting first). */
  overlaps: PlannedSlot;
}

export interface SlotPlan {
  slots: PlannedSlot[];
  skipped: SkippedSlot[];
}

export interface SlotPlanInput {
  /** IANA zone every rule time is read in. */
  timezone: string;
  /** First local date, `YYYY-MM-DD`. */
  from: string;
  /** Last local date, inclusive. */
  to: string;
  /** One person's active rules of every kind. */
  rules: readonly RuleWindow[];
}

/**
 * One person's slots for the local dates `from..to` (DOMAIN.md §Slot generation), sorted by
 * start. Pure: the same input always gives the same output.
 *
 * - A date's windows are its overrides when it has any (one without times adds none: a day
 *   off), else the weekly rules listing its weekday inside their validity range.
 * - Each window is walked in wall-clock steps of bufferBefore + slotMinutes + bufferAfter from
 *   its start while the step is before its end; a step's slot starts bufferBefore wall-clock
 *   minutes into it. A slot start in a spring-forward gap gives no slot; one in a fall-back fold
 *   takes the earlier offset. A slot lasts slotMinutes of real time; its buffered span is
 *   bufferBefore real minutes before it to bufferAfter real minutes after it, and must lie
 *   inside the window: from the first instant whose wall-clock reaches startTime (fold: first
 *   pass; gap: the transition) to the end, whose wall-clock resolves to the later instant
 *   (fold: the second pass; gap: shifted forward by the gap, like Temporal 'compatible').
 * - A slot whose buffered span starts before the buffered end of the previous kept slot is
 *   dropped (a long slot right after a spring-forward, or windows the fall-back fold pulls
 *   over each other), across all windows, so buffered spans never overlap: the slot starting
 *   first wins. Dropped slots of another window than the one they collide with are reported
 *   (`skipped`); inside one window that is the DST rule above, not news.
 * - Blackouts then remove every slot whose buffered span overlaps them, half-open, and every
 *   such skipped slot. A blackout's bounds are widened to its hull: the start is the first
 *   instant whose wall-clock reaches startTime (fold: first pass; gap: the transition), the end
 *   resolves like a window end.
 */
export function planSlots(input: SlotPlanInput): PlannedSlot[] {
  return planSlotsAndSkips(input).slots;
}

/** `planSlots`, with the slots it did not make because another window's slot was in the way. */
export function planSlotsAndSkips(input: SlotPlanInput): SlotPlan {
  const first = dayNumber(input.from);
  const last = dayNumber(input.to);
  if (!Number.isInteger(first) || !Number.isInteger(last)) throw new RangeError(`Bad date range ${input.from}..${input.to}`);
  if (last < first) return { slots: [], skipped: [] };
  // Wide enough for every wall-clock from the day before `from` to two days after `to`, in
  // any offset (−12 h … +14 h).
  const timeline = zoneTimeline(input.timezone, (first - 2) * DAY_MS, (last + 3) * DAY_MS);
  const rules = prepareRules(input.rules);

  const slots: PlannedSlot[] = [];
  for (let day = first; day <= last; day += 1) {
    const date = dateOf(day);
    const windows = rules.overridesByDay.get(day) ?? rules.weekly.filter((rule) => appliesOn(rule, day));
    for (const window of windows) cutWindow(timeline, day, date, window, slots);
  }
  slots.sort(bySlotOrder);
  const { kept, skipped } = withoutOverlaps(slots);
  const blackouts = blackoutIntervals(timeline, rules.blackouts, first, last);
  return { slots: withoutBlackouts(kept, blackouts), skipped: withoutBlackouts(skipped, blackouts) };
}

interface TimedWindow {
  ruleId: string;
  startMinute: number;
  endMinute: number;
  slotMs: number;
  beforeMinutes: number;
  beforeMs: number;
  afterMs: number;
  stepMinutes: number;
  capacity: number;
}

interface WeeklyWindow extends TimedWindow {
  weekdays: ReadonlySet<number>;
  validFrom: number;
  validUntil: number;
}

interface Blackout {
  firstDay: number;
  lastDay: number;
  /** Minutes of day, or undefined for whole days. */
  startMinute?: number;
  endMinute?: number;
}

interface PreparedRules {
  weekly: WeeklyWindow[];
  /** Every date with an override; a day off maps to no windows. */
  overridesByDay: Map<number, TimedWindow[]>;
  blackouts: Blackout[];
}

function prepareRules(rules: readonly RuleWindow[]): PreparedRules {
  const prepared: PreparedRules = { weekly: [], overridesByDay: new Map(), blackouts: [] };
  for (const rule of rules) {
    if (rule.kind === 'weekly') {
      const window = timedWindow(rule);
      if (!window) continue;
      prepared.weekly.push({
        ...window,
        weekdays: new Set(rule.weekdays ?? []),
        validFrom: rule.validFrom === undefined ? -Infinity : dayNumber(rule.validFrom),
        validUntil: rule.validUntil === undefined ? Infinity : dayNumber(rule.validUntil),
      });
    } else if (rule.kind === 'override' && rule.date !== undefined) {
      const day = dayNumber(rule.date);
      const windows = prepared.overridesByDay.get(day) ?? [];
      const window = timedWindow(rule);
      if (window) windows.push(window);
      prepared.overridesByDay.set(day, windows);
    } else if (rule.kind === 'blackout' && rule.startDate !== undefined && rule.endDate !== undefined) {
      const timed = rule.startTime !== undefined && rule.endTime !== undefined;
      prepared.blackouts.push({
        firstDay: dayNumber(rule.startDate),
        lastDay: dayNumber(rule.endDate),
        startMinute: timed ? minutesOfDay(rule.startTime as string) : undefined,
        endMinute: timed ? minutesOfDay(rule.endTime as string) : undefined,
      });
    }
  }
  return prepared;
}

/** The window of a rule with times and a positive slot length; undefined for a day off. */
function timedWindow(rule: RuleWindow): TimedWindow | undefined {
  const { startTime, endTime, slotMinutes } = rule;
  if (startTime === undefined || endTime === undefined || slotMinutes === undefined || !(slotMinutes > 0)) {
    return undefined;
  }
  const before = Math.max(0, rule.bufferBeforeMinutes ?? 0);
  const after = Math.max(0, rule.bufferAfterMinutes ?? 0);
  return {
    ruleId: rule.id,
    startMinute: minutesOfDay(startTime),
    endMinute: minutesOfDay(endTime),
    slotMs: slotMinutes * MINUTE_MS,
    beforeMinutes: before,
    beforeMs: before * MINUTE_MS,
    afterMs: after * MINUTE_MS,
    stepMinutes: before + slotMinutes + after,
    capacity: rule.capacity ?? 1,
  };
}

function appliesOn(rule: WeeklyWindow, day: number): boolean {
  return rule.validFrom <= day && day <= rule.validUntil && rule.weekdays.has(isoWeekdayOf(day));
}

function cutWindow(timeline: ZoneTimeline, day: number, date: string, window: TimedWindow, into: PlannedSlot[]): void {
  const midnight = day * DAY_MS;
  const windowStart = timeline.firstAtOrAfter(midnight + window.startMinute * MINUTE_MS);
  const windowEnd = timeline.later(midnight + window.endMinute * MINUTE_MS);
  for (let minute = window.startMinute; minute < window.endMinute; minute += window.stepMinutes) {
    const slotMinute = minute + window.beforeMinutes;
    // The slot would start at or after the window's end on the wall clock: nothing fits.
    if (slotMinute >= window.endMinute) break;
    const startsAt = timeline.earlier(midnight + slotMinute * MINUTE_MS);
    // The wall-clock start does not exist (spring-forward gap): no slot, like Temporal 'reject'.
    if (Number.isNaN(startsAt)) continue;
    const endsAt = startsAt + window.slotMs;
    const bufferedEndsAt = endsAt + window.afterMs;
    // Resolved starts grow with the wall-clock, so no later step fits either.
    if (bufferedEndsAt > windowEnd) break;
    const bufferedStartsAt = startsAt - window.beforeMs;
    // Only near a gap at the window's start can real time before the slot be shorter than the buffer.
    if (bufferedStartsAt < windowStart) continue;
    into.push({
      ruleId: window.ruleId,
      startsAt,
      endsAt,
      bufferedStartsAt,
      bufferedEndsAt,
      localStart: `${date}T${clockOf(slotMinute)}`,
      capacity: window.capacity,
    });
  }
}

function bySlotOrder(a: PlannedSlot, b: PlannedSlot): number {
  return a.startsAt - b.startsAt || a.endsAt - b.endsAt || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** The window a slot was cut from: its rule on its local date. */
function sameWindow(a: PlannedSlot, b: PlannedSlot): boolean {
  return a.ruleId === b.ruleId && a.localStart.slice(0, 10) === b.localStart.slice(0, 10);
}

/**
 * Keeps slots (sorted by start) whose buffered span starts at or after the buffered end of the
 * last kept one; kept spans are disjoint and in start order, so the last one ends latest.
 */
function withoutOverlaps(sorted: PlannedSlot[]): { kept: PlannedSlot[]; skipped: SkippedSlot[] } {
  const kept: PlannedSlot[] = [];
  const skipped: SkippedSlot[] = [];
  let last: PlannedSlot | undefined;
  for (const slot of sorted) {
    if (last !== undefined && slot.bufferedStartsAt < last.bufferedEndsAt) {
      if (!sameWindow(slot, last)) skipped.push({ ...slot, overlaps: last });
      continue;
    }
    kept.push(slot);
    last = slot;
  }
  return { kept, skipped };
}

interface Interval {
  start: number;
  end: number;
}

/**
 * Every blackout's instants that can touch a slot of `first..last`, merged and sorted. Slots
 * of a date end by the next date's midnight (later instant), so a day either side suffices.
 */
function blackoutIntervals(timeline: ZoneTimeline, blackouts: readonly Blackout[], first: number, last: number): Interval[] {
  const intervals: Interval[] = [];
  for (const blackout of blackouts) {
    const firstDay = Math.max(blackout.firstDay, first - 1);
    const lastDay = Math.min(blackout.lastDay, last + 1);
    if (lastDay < firstDay) continue;
    if (blackout.startMinute === undefined || blackout.endMinute === undefined) {
      // Whole days tile: each ends where the next begins, so the run is one interval.
      intervals.push({
        start: timeline.firstAtOrAfter(firstDay * DAY_MS),
        end: timeline.later((lastDay + 1) * DAY_MS),
      });
      continue;
    }
    for (let day = firstDay; day <= lastDay; day += 1) {
      const start = timeline.firstAtOrAfter(day * DAY_MS + blackout.startMinute * MINUTE_MS);
      const end = timeline.later(day * DAY_MS + blackout.endMinute * MINUTE_MS);
      if (start < end) intervals.push({ start, end });
    }
  }
  intervals.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of intervals) {
    const previous = merged[merged.length - 1];
    if (previous && interval.start <= previous.end) previous.end = Math.max(previous.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/**
 * Half-open overlap with the buffered spans; `slots` sorted by start with disjoint buffered
 * spans (so those are sorted too), `blackouts` sorted and disjoint.
 */
function withoutBlackouts<T extends PlannedSlot>(slots: T[], blackouts: readonly Interval[]): T[] {
  if (blackouts.length === 0) return slots;
  let next = 0;
  return slots.filter((slot) => {
    // A blackout over before this span starts is over before every later span starts too.
    while (next < blackouts.length && blackouts[next].end <= slot.bufferedStartsAt) next += 1;
    return next === blackouts.length || blackouts[next].start >= slot.bufferedEndsAt;
  });
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday; day 0 (1970-01-01) was a Thursday. */
function isoWeekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

const CLOCK = Array.from(
  { length: 1440 },
  (_, minute) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
);

function clockOf(minute: number): string {
  return CLOCK[minute];
}

/**
 * The instants the slots of local dates `from..to` start in: from the first instant at or
 * after `from` 00:00 up to (excluding) the first at or after the next date's 00:00 — the same
 * resolution the planner uses, so a generation run retires exactly what it could plan.
 */
export function localDatesSpan(timezone: string, from: string, to: string): { start: number; end: number } {
  const first = dayNumber(from);
  const last = dayNumber(to);
  const timeline = zoneTimeline(timezone, (first - 2) * DAY_MS, (last + 3) * DAY_MS);
  return { start: timeline.firstAtOrAfter(first * DAY_MS), end: timeline.firstAtOrAfter((last + 1) * DAY_MS) };
}
