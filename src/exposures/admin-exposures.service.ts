import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { LocationsService } from '../locations/locations.service';
import { SlotsService } from '../slots/slots.service';
import { AdminExposureDto, AdminExposureQueryDto, ExplanationDto } from './dto/exposure.dto';
import { MIN_PEOPLE_PER_OFFER, rankCandidates } from './exposure-ranking';
import { ExposureErrors } from './exposures.errors';
import { ExposureRow, ExposureSlotRow, ExposuresRepository } from './exposures.repository';
import { ExposureCandidatesRepository } from './exposure-candidates.repository';
import { unbookableReasons } from '../bookings/bookability';
import { candidatesPerPerson, identityKey, offeredAsCandidate } from './exposures.service';

/** "Why was this offered — and why not that?" for operators, within their tenants. */
@Injectable()
export class AdminExposuresService {
  constructor(
    private readonly exposures: ExposuresRepository,
    private readonly candidates: ExposureCandidatesRepository,
    private readonly locations: LocationsService,
    private readonly slots: SlotsService,
  ) {}

  async list(tenants: Tenants, query: AdminExposureQueryDto): Promise<Page<AdminExposureDto>> {
    const rows = await this.exposures.listInTenants(tenants, {
      userId: query.userId,
      locationId: query.locationId,
      personId: query.personId,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, (row) => toAdminDto(row));
  }

  async get(tenants: Tenants, id: string): Promise<AdminExposureDto> {
    const exposure = await this.require(tenants, id);
    const offered = await this.exposures.slotsOf(id);
    const views = new Map((await this.slots.viewsOf(offered.map((slot) => slot.slotId))).map((view) => [view.id, view]));
    return {
      ...toAdminDto(exposure),
      slots: offered.map((slot) => ({
        position: slot.position,
        slotId: slot.slotId,
        ...(views.has(slot.slotId) ? { slot: views.get(slot.slotId) } : {}),
        components: slot.components,
        offeredAt: (slot.offeredAt ?? exposure.createdAt).toISOString(),
      })),
    };
  }

  async explain(tenants: Tenants, id: string, slotId: string): Promise<ExplanationDto> {
    const exposure = await this.require(tenants, id);
    const offered = await this.exposures.slotsOf(id);
    const base = { exposureId: id, slotId };
    const mine = offered.find((slot) => slot.slotId === slotId.toLowerCase());
    if (mine) {
      return { ...base, offered: true, verdict: 'offered', reasons: ['offered at this position with this score'], position: mine.position, score: mine.components };
    }
    const [check] = await this.candidates.bookability(exposure, [slotId]);
    // Another business's slot looks exactly like a missing one.
    if (!check || check.bizEntityId !== exposure.bizEntityId) {
      return { ...base, offered: false, verdict: 'unknown_slot', reasons: ['the slot does not exist'] };
    }
    const inScope = check.locationId === exposure.locationId && (exposure.scope === 'location' || check.personId === exposure.scopeId);
    if (!inScope) return { ...base, offered: false, verdict: 'outside_scope', reasons: [`the slot is not part of this ${exposure.scope}`] };
    if (check.startsAt < exposure.windowFrom || check.startsAt >= exposure.windowTo) {
      return { ...base, offered: false, verdict: 'outside_window', reasons: ['the slot starts outside the exposure window'] };
    }
    const reasons = unbookableReasons(check);
    if (reasons.length > 0) return { ...base, offered: false, verdict: 'not_bookable', reasons };
    const lowestOfferedTotal = Math.min(...offered.map((slot) => slot.components.total));
    // The ranking only ever sees a keyed sample of each person's slots in the window: drawn
    // again now, the same way, to tell "never a candidate" from "lost to higher scores".
    const personId = exposure.scope === 'person' ? exposure.scopeId : null;
    const location = await this.locations.settingsInTenants(tenants, exposure.locationId);
    const perPerson = candidatesPerPerson(exposure.scope, location.exposure);
    const { candidates, loads } = await this.candidates.redraw(exposure, personId, perPerson);
    const candidate = candidates.find((entry) => entry.slotId === check.slotId);
    if (!candidate) {
      return {
        ...base,
        offered: false,
        verdict: 'not_sampled',
        reasons: [
          `bookable, but not among the ${perPerson} slots of its person drawn for this user from the window ` +
            '(the draw is keyed on the user, so offers spread over the window and stay stable)',
        ],
      };
    }
    // Scored as it competed for the last place: next to every offered slot but the lowest, so
    // its diversity penalty is the one it faced (alone, it would look better than it ranked).
    const lowest = offered.reduce<ExposureSlotRow | undefined>(
      (low, slot) => (!low || slot.components.total <= low.components.total ? slot : low),
      undefined,
    );
    const rivalViews = await this.slots.viewsOf(offered.filter((slot) => slot !== lowest).map((slot) => slot.slotId));
    const [scored] = rankCandidates([candidate], loads, identityKey(exposure), 1, rivalViews.map(offeredAsCandidate));
    const totals = scored ? ` (its total now ${scored.components.total.toFixed(3)}; lowest offered ${lowestOfferedTotal.toFixed(3)})` : '';
    // The lowest place may have gone to a second person (MIN_PEOPLE_PER_OFFER) over a better slot of the first.
    const spreadPick = scored !== undefined && scored.components.total > lowestOfferedTotal;
    return {
      ...base,
      offered: false,
      verdict: 'outranked',
      reasons: [
        spreadPick
          ? `bookable and scoring above the lowest offered slot${totals}, but that place went to another person: an offer spans at least ${MIN_PEOPLE_PER_OFFER} people where it can`
          : `bookable, but ${offered.length} slot(s) scored higher${totals}`,
      ],
      ...(scored ? { score: scored.components } : {}),
      ...(Number.isFinite(lowestOfferedTotal) ? { lowestOfferedTotal } : {}),
    };
  }

  private async require(tenants: Tenants, id: string): Promise<ExposureRow> {
    const exposure = await this.exposures.findInTenants(tenants, id);
    if (!exposure) throw ExposureErrors.notFound();
    return exposure;
  }
}

function toAdminDto(row: ExposureRow): AdminExposureDto {
  return {
    id: row.id,
    userId: row.userId,
    locationId: row.locationId,
    scope: row.scope,
    scopeId: row.scopeId,
    seats: row.seats,
    ...(row.fromParam !== null ? { fromParam: row.fromParam } : {}),
    ...(row.toParam !== null ? { toParam: row.toParam } : {}),
    window: { from: row.windowFrom.toISOString(), to: row.windowTo.toISOString() },
    extended: row.extended,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    live: row.expiresAt.getTime() > Date.now(),
  };
}
