import { Transactional } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import type { Principal } from '../common/auth/principal';
import { inBatches } from '../common/database/batches';
import { LocationsService } from '../locations/locations.service';
import type { ExposureCounts, LocationSettings } from '../locations/locations.service';
import { PeopleService } from '../people/people.service';
import { SlotDto, toSlotDto } from '../slots/dto/slot.dto';
import { SlotsService } from '../slots/slots.service';
import { ExposureDto, ExposureQueryDto } from './dto/exposure.dto';
import { Candidate, rankCandidates, RankedSlot } from './exposure-ranking';
import { ExposureErrors } from './exposures.errors';
import { unbookableReasons } from '../bookings/bookability';
import { ExposuresRepository } from './exposures.repository';
import { ExposureCandidatesRepository } from './exposure-candidates.repository';
import { DomainMetrics } from '../metrics/domain-metrics';
import type { ExposureIdentity, ExposureRow, ExposureScope, ExposureSlotRow } from './exposures.repository';

const DEFAULT_WINDOW_DAYS = 7;
const LATEST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');
/** How many candidates per person the ranking sees: enough for spread, never the whole inventory. */
const SAMPLE_PER_PERSON = 12;
/** The window of EXPOSURES_PER_USER_PER_MINUTE. */
const OFFER_WINDOW_SECONDS = 60;

/**
 * Candidates drawn per person: a person's own offer draws more, since it has one person only;
 * never fewer than the offer's maximum, so one person with enough slots can fill it. The draw
 * ranks the slots bookable now, so a slot leaving it lets the next one in for replacements.
 */
export function candidatesPerPerson(scope: ExposureScope, policy: ExposureCounts): number {
  return scope === 'person' ? Math.max(SAMPLE_PER_PERSON * 4, policy.personMax) : Math.max(SAMPLE_PER_PERSON, policy.locationMax);
}

/**
 * Offers a few slots (DOMAIN.md §Exposure): deterministic, sticky for EXPOSURE_TTL_SECONDS,
 * fair to staff (bookings follow open capacity × weight) and to users (crowded slots are
 * offered less). See docs/exposure.md for the scoring.
 */
@Injectable()
export class ExposuresService {
  constructor(
    private readonly exposures: ExposuresRepository,
    private readonly candidates: ExposureCandidatesRepository,
    private readonly locations: LocationsService,
    private readonly people: PeopleService,
    private readonly slots: SlotsService,
    private readonly metrics: DomainMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async browseLocation(principal: Principal, locationId: string, query: ExposureQueryDto): Promise<ExposureDto> {
    const identity = identityOf(principal, 'location', locationId, query);
    const warm = await this.warm(identity);
    if (warm) return warm;
    const location = await this.locations.openSettings(locationId);
    return this.offer(principal, location, identity, null, query);
  }

  async browsePerson(principal: Principal, personId: string, query: ExposureQueryDto): Promise<ExposureDto> {
    const identity = identityOf(principal, 'person', personId, query);
    const warm = await this.warm(identity);
    if (warm) return warm;
    const person = await this.people.getOpen(personId);
    const location = await this.locations.openSettings(person.locationId);
    return this.offer(principal, location, identity, person.id, query);
  }

  /**
   * The warm path: a live exposure whose slots are all still bookable is answered from one
   * read, without a transaction. Bookable includes an open location and an active person, so
   * the 404s of a closed location or an inactive person come from the locked path, which
   * anything else (first visit, a stale slot) takes.
   */
  private async warm(identity: ExposureIdentity): Promise<ExposureDto | undefined> {
    const warm = await this.exposures.findLiveOffer(identity);
    if (!warm?.allBookable) return undefined;
    return toExposureDto(warm.exposure, warm.slots.map(toSlotDto));
  }

  @Transactional()
  private async offer(
    principal: Principal,
    location: LocationSettings,
    identity: ExposureIdentity,
    personId: string | null,
    query: ExposureQueryDto,
  ): Promise<ExposureDto> {
    const { scope } = identity;
    const window = requestedWindow(query, location.bookingHorizonDays);
    const [min, max] =
      scope === 'location'
        ? [location.exposure.locationMin, location.exposure.locationMax]
        : [location.exposure.personMin, location.exposure.personMax];
    await this.exposures.lockIdentityAndUser(identity);
    const { live, recent } = await this.exposures.findLiveAndRecent(identity, OFFER_WINDOW_SECONDS);
    const perPerson = candidatesPerPerson(scope, location.exposure);
    if (live) return this.keepFresh(live, identityKey(identity), personId, perPerson);
    // Each distinct window is a new stored offer: a client varying `from` must not store one per request.
    if (recent.count >= this.config.EXPOSURES_PER_USER_PER_MINUTE) {
      throw ExposureErrors.tooManyOffers(this.config.EXPOSURES_PER_USER_PER_MINUTE, recent.retryAfter);
    }

    let { from, to } = window;
    let extended = false;
    const party = { userId: principal.userId, seats: identity.seats };
    let { candidates, loads } = await this.candidates.draw({ ...party, locationId: location.id, personId, from, to, perPerson });
    if (candidates.length < min) {
      // Too thin: search on, day by day, up to the horizon, until the minimum is reached.
      const next = await this.candidates.nextBookableStarts({
        ...party,
        locationId: location.id,
        personId,
        after: to,
        limit: min - candidates.length,
      });
      if (next.length > 0) {
        to = DateTime.fromJSDate(next[next.length - 1], { zone: location.timezone }).plus({ days: 1 }).startOf('day').toJSDate();
        extended = true;
        ({ candidates, loads } = await this.candidates.draw({ ...party, locationId: location.id, personId, from, to, perPerson }));
      }
    }
    const ranked = rankCandidates(candidates, loads, identityKey(identity), max);
    const stored = await this.exposures.insert(
      { ...identity, bizEntityId: location.bizEntityId, locationId: location.id, windowFrom: from, windowTo: to, extended },
      this.config.EXPOSURE_TTL_SECONDS,
      ranked.map((entry, position) => toSlotRow(entry, position)),
    );
    this.metrics.offered(scope, ranked.length, ranked.filter((entry) => entry.candidate.crowd > 0).length);
    return toExposureDto(stored.exposure, stored.slots.map(toSlotDto));
  }

  /**
   * The sticky path: the same exposure, window and slots; a slot that stopped being bookable
   * is replaced in place by the best candidate not already shown, the others keep positions.
   */
  private async keepFresh(exposure: ExposureRow, identity: string, personId: string | null, perPerson: number): Promise<ExposureDto> {
    const offered = await this.exposures.slotsOf(exposure.id);
    const checks = new Map(
      (await this.candidates.bookability(exposure, offered.map((slot) => slot.slotId))).map((check) => [check.slotId, check]),
    );
    const stale = offered.filter((slot) => unbookableReasons(checks.get(slot.slotId)).length > 0);
    if (stale.length > 0) {
      const kept = offered.filter((slot) => !stale.includes(slot));
      const keptIds = new Set(kept.map((slot) => slot.slotId));
      const drawn = await this.candidates.redraw(exposure, personId, perPerson);
      const candidates = drawn.candidates.filter(
        (candidate) => !keptIds.has(candidate.slotId) && !stale.some((slot) => slot.slotId === candidate.slotId),
      );
      const keptViews = await this.slots.viewsOf([...keptIds]);
      const alreadyOffered = keptViews.map(offeredAsCandidate);
      const replacements = rankCandidates(candidates, drawn.loads, identity, stale.length, alreadyOffered);
      await this.exposures.upsertSlots(
        exposure.id,
        exposure.bizEntityId,
        replacements.map((ranked, index) => toSlotRow(ranked, stale[index].position)),
      );
      // Nothing left to offer in their place: those positions go.
      await this.exposures.deletePositions(exposure.id, stale.slice(replacements.length).map((slot) => slot.position));
    }
    const current = await this.exposures.slotsOf(exposure.id);
    return this.toDto(exposure, current.map((slot) => slot.slotId));
  }

  /** Deletes offers past their retention, batch by batch, each batch a transaction; returns how many went. */
  purgeExpired(batchSize = 500): Promise<number> {
    return inBatches(batchSize, (size) => this.purgeBatch(size));
  }

  @Transactional()
  private purgeBatch(batchSize: number): Promise<number> {
    return this.exposures.purgeExpiredBatch(this.config.EXPOSURE_RETENTION_SECONDS, batchSize);
  }

  private async toDto(exposure: ExposureRow, slotIds: readonly string[]): Promise<ExposureDto> {
    return toExposureDto(exposure, await this.slots.viewsOf(slotIds));
  }
}

/** Slots are listed by start (then id), whatever their positions: stickiness keeps the slots, not their order. */
function toExposureDto(exposure: ExposureRow, slots: SlotDto[]): ExposureDto {
  const byStart = [...slots].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    exposureId: exposure.id,
    scope: exposure.scope,
    scopeId: exposure.scopeId,
    seats: exposure.seats,
    window: { from: exposure.windowFrom.toISOString(), to: exposure.windowTo.toISOString() },
    extended: exposure.extended,
    expiresAt: exposure.expiresAt.toISOString(),
    slots: byStart,
  };
}

function identityOf(principal: Principal, scope: ExposureScope, scopeId: string, query: ExposureQueryDto): ExposureIdentity {
  return { userId: principal.userId, scope, scopeId, fromParam: query.from ?? null, toParam: query.to ?? null, seats: query.seats ?? 1 };
}

/** The window asked for: `from` defaults to now, `to` to a week later; at most the horizon long. */
function requestedWindow(query: ExposureQueryDto, horizonDays: number): { from: Date; to: Date } {
  const from = query.from ? new Date(query.from) : new Date();
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_WINDOW_DAYS * 86_400_000);
  // Instants are written YYYY-MM-DDTHH:mm:ss.sssZ: a defaulted end past 9999 has no such form.
  if (to.getTime() > LATEST_INSTANT_MS) throw ExposureErrors.defaultWindowPastYear9999();
  if (to <= from) throw ExposureErrors.windowReversed();
  if (to.getTime() - from.getTime() > horizonDays * 86_400_000) throw ExposureErrors.windowTooLong(horizonDays);
  return { from, to };
}

/** A slot already in the offer, as the ranking sees it next to new candidates (its crowd is not being weighed). */
export function offeredAsCandidate(view: SlotDto): Candidate {
  return {
    slotId: view.id,
    personId: view.personId,
    startsAt: Date.parse(view.startsAt),
    localStart: view.localStart,
    remaining: view.remaining,
    crowd: 0,
  };
}

/** The tie-break key: (user, scope, window as sent, party). */
export function identityKey(identity: ExposureIdentity): string {
  return [identity.userId, identity.scope, identity.scopeId, identity.fromParam ?? '', identity.toParam ?? '', identity.seats].join('|');
}

function toSlotRow(ranked: RankedSlot, position: number): ExposureSlotRow {
  return { position, slotId: ranked.candidate.slotId, score: ranked.components.total, components: ranked.components };
}
