import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/**
 * A zone's UTC offsets over a span of instants, as segments: from `starts[i]` (inclusive)
 * to `starts[i + 1]` the offset is `offsets[i]` ms. The first segment reaches back and the
 * last forward without end, so instants outside the span take the nearest known offset.
 *
 * Wall-clock times are passed as "local ms": the wall-clock read as if it were UTC. An
 * instant `t` in segment `i` reads `t + offsets[i]`, so resolving a wall-clock is a few
 * comparisons per segment, with no Intl formatting per slot (one lookup costs ~10 µs).
 */
export class ZoneTimeline {
  private constructor(
    private readonly starts: readonly number[],
    private readonly offsets: readonly number[],
  ) {}

  /**
   * Samples the offset once per day over [fromInstant, toInstant] and bisects every change
   * to the millisecond. A pair of transitions that cancel out inside one day would be missed;
   * tzdb has none for present-day rules.
   */
  static build(timezone: string, fromInstant: number, toInstant: number): ZoneTimeline {
    const zone = IANAZone.create(timezone);
    if (!zone.isValid) throw new RangeError(`Unknown time zone: ${timezone}`);
    // Luxon reports fractional minutes for offsets with seconds (LMT); keep whole ms.
    const offsetAt = (instant: number): number => Math.round(zone.offset(instant) * MINUTE_MS);

    const starts = [-Infinity];
    const offsets = [offsetAt(fromInstant)];
    let known = fromInstant;
    while (known < toInstant) {
      const probe = Math.min(known + DAY_MS, toInstant);
      const offset = offsetAt(probe);
      if (offset === offsets[offsets.length - 1]) {
        known = probe;
        continue;
      }
      // offsetAt(low) is the current segment's offset, offsetAt(high) is not.
      let low = known;
      let high = probe;
      while (high - low > 1) {
        const middle = low + Math.floor((high - low) / 2);
        if (offsetAt(middle) === offsets[offsets.length - 1]) low = middle;
        else high = middle;
      }
      starts.push(high);
      offsets.push(offsetAt(high));
      // Re-probe the same day from the transition: it may hold another one.
      known = high;
    }
    return new ZoneTimeline(starts, offsets);
  }

  /**
   * The earliest instant whose wall-clock reads `local`: the earlier offset of a fall-back
   * fold (Temporal 'earlier'); NaN in a spring-forward gap (Temporal 'reject').
   */
  earlier(local: number): number {
    for (let index = 0; index < this.offsets.length; index += 1) {
      const instant = local - this.offsets[index];
      if (this.inSegment(index, instant)) return instant;
    }
    return Number.NaN;
  }

  /**
   * The latest instant whose wall-clock reads `local` (the later offset of a fold); in a gap,
   * `local` read with the offset before the gap, i.e. pushed forward by the gap's length
   * (Temporal 'compatible' = 'later'). Used for ends, so a window keeps its full real length.
   */
  later(local: number): number {
    for (let index = this.offsets.length - 1; index >= 0; index -= 1) {
      const instant = local - this.offsets[index];
      if (this.inSegment(index, instant)) return instant;
    }
    const gap = this.gapAt(local);
    return local - this.offsets[gap - 1];
  }

  /**
   * The earliest instant whose wall-clock reads `local` or later: `earlier(local)`, or the
   * transition instant when `local` falls in a gap (the clock jumps past it right there).
   */
  firstAtOrAfter(local: number): number {
    const instant = this.earlier(local);
    return Number.isNaN(instant) ? this.starts[this.gapAt(local)] : instant;
  }

  private inSegment(index: number, instant: number): boolean {
    const end = index + 1 < this.starts.length ? this.starts[index + 1] : Infinity;
    return this.starts[index] <= instant && instant < end;
  }

  /** The transition whose skipped wall-clock span holds `local`. */
  private gapAt(local: number): number {
    for (let index = 1; index < this.starts.length; index += 1) {
      const start = this.starts[index];
      if (start + this.offsets[index - 1] <= local && local < start + this.offsets[index]) return index;
    }
    // Unreachable: the wall-clock t + offset(t) takes every value outside the gaps.
    throw new RangeError(`No instant or gap for local time ${new Date(local).toISOString()}`);
  }
}

const TIMELINE_CACHE_SIZE = 16;
const timelines = new Map<string, ZoneTimeline>();

/**
 * A memoised `ZoneTimeline.build`: one generation run plans every person of a location over
 * the same zone and dates, so they share one timeline. Results depend only on the arguments.
 */
export function zoneTimeline(timezone: string, fromInstant: number, toInstant: number): ZoneTimeline {
  const key = `${timezone}|${fromInstant}|${toInstant}`;
  const cached = timelines.get(key);
  if (cached) return cached;
  const timeline = ZoneTimeline.build(timezone, fromInstant, toInstant);
  if (timelines.size >= TIMELINE_CACHE_SIZE) timelines.delete(timelines.keys().next().value as string);
  timelines.set(key, timeline);
  return timeline;
}
