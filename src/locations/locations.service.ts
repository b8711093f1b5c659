import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import { mayAdminister } from '../common/auth/principal';
import type { Tenants } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { assertPrecondition, Precondition } from '../common/http/preconditions';
import { splitMetadataChange } from '../common/validation/metadata';
import { AdminLocationQueryDto, CreateLocationDto, PublicLocationQueryDto, UpdateLocationDto } from './dto/location-request.dto';
import { LocationDto, toLocationDto, toPublicLocationDto } from './dto/location.dto';
import { DEFAULT_LOCATION_POLICY, mergePolicy, policyColumnsOf } from './location-policy';
import { LocationRow, LocationsRepository } from './locations.repository';
import { LocationErrors } from './locations.errors';

/** How many slots an offer of each kind holds (the location's policy). */
export interface ExposureCounts {
  personMin: number;
  personMax: number;
  locationMin: number;
  locationMax: number;
}

/**
 * What other modules need of a location — where and when it books, and how it offers — as
 * LocationsService gives it: never its DTO or its row.
 */
export interface LocationSettings {
  id: string;
  bizEntityId: string;
  timezone: string;
  /** False once deleted: jobs skip it, generation retires its slots. */
  active: boolean;
  bookingHorizonDays: number;
  exposure: ExposureCounts;
}

@Injectable()
export class LocationsService {
  constructor(
    private readonly locations: LocationsRepository,
    private readonly audit: AuditTrail,
  ) {}

  @Transactional()
  async create(tenants: Tenants, dto: CreateLocationDto): Promise<LocationDto> {
    if (!mayAdminister(tenants, dto.bizEntityId)) throw LocationErrors.foreignBusiness(dto.bizEntityId);
    const location = await this.locations.insert({
      bizEntityId: dto.bizEntityId,
      name: dto.name,
      timezone: await this.locations.canonicalZoneName(dto.timezone),
      metadata: dto.metadata ?? {},
      ...mergePolicy(DEFAULT_LOCATION_POLICY, dto.policy),
    });
    const created = toLocationDto(location);
    this.audit.record({ target: { type: 'location', id: location.id }, bizEntityId: location.bizEntityId, after: created });
    return created;
  }

  async listForAdmin(tenants: Tenants, query: AdminLocationQueryDto): Promise<Page<LocationDto>> {
    const rows = await this.locations.listInTenants(tenants, {
      bizEntityId: query.bizEntityId,
      active: query.active,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toLocationDto);
  }

  async getForAdmin(tenants: Tenants, id: string): Promise<LocationDto> {
    return toLocationDto(await this.requireInTenants(tenants, id));
  }

  /** A location of the caller's tenants, as other modules see it; 404 otherwise. */
  async settingsInTenants(tenants: Tenants, id: string): Promise<LocationSettings> {
    return settingsOf(await this.requireInTenants(tenants, id));
  }

  @Transactional()
  async update(tenants: Tenants, id: string, dto: UpdateLocationDto, precondition?: Precondition): Promise<LocationDto> {
    const current = await this.requireInTenants(tenants, id, true);
    assertPrecondition(precondition, current, 'location');
    const timezone = dto.timezone === undefined ? undefined : await this.locations.canonicalZoneName(dto.timezone);
    // A timezone change moves every future slot's instant: not while bookings rely on them.
    if (timezone !== undefined && timezone !== current.timezone && (await this.locations.hasLiveFutureBookings(id))) {
      throw LocationErrors.hasLiveBookings('change its timezone');
    }
    if (dto.active === false && current.active && (await this.locations.hasLiveFutureBookings(id))) {
      throw LocationErrors.hasLiveBookings('be deactivated');
    }
    const changed = await this.locations.update(
      tenants,
      id,
      { name: dto.name, timezone, active: dto.active, ...mergePolicy(policyColumnsOf(current), dto.policy) },
      dto.metadata && splitMetadataChange(dto.metadata),
    );
    if (!changed) throw LocationErrors.notFound();
    const updated = await this.getForAdmin(tenants, id);
    this.audit.record({ target: { type: 'location', id }, bizEntityId: current.bizEntityId, before: toLocationDto(current), after: updated });
    return updated;
  }

  /** Soft delete: history stays, the location disappears from the public API. */
  @Transactional()
  async remove(tenants: Tenants, id: string): Promise<void> {
    const current = await this.requireInTenants(tenants, id, true);
    if (await this.locations.hasLiveFutureBookings(id)) throw LocationErrors.hasLiveBookings('be deleted');
    if (!(await this.locations.update(tenants, id, { active: false }))) throw LocationErrors.notFound();
    const before = toLocationDto(current);
    this.audit.record({ target: { type: 'location', id }, bizEntityId: current.bizEntityId, before, after: { ...before, active: false } });
  }

  async listOpen(query: PublicLocationQueryDto): Promise<Page<LocationDto>> {
    const rows = await this.locations.listOpen({
      bizEntityId: query.bizEntityId,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toPublicLocationDto);
  }

  /** For slot generation, under its lock: the location as it stays until the run commits. */
  async lockForGeneration(id: string): Promise<LocationSettings | undefined> {
    const location = await this.locations.shareLockForGeneration(id);
    return location ? settingsOf(location) : undefined;
  }

  /** Active locations across all businesses, for background jobs (no caller, no tenant). */
  async listActiveForJobs(): Promise<LocationSettings[]> {
    return (await this.locations.listAllActiveForJobs()).map(settingsOf);
  }

  async getOpen(id: string): Promise<LocationDto> {
    return toPublicLocationDto(await this.requireOpen(id));
  }

  /** An open location as other modules see it; 404 when it is absent or deleted. */
  async openSettings(id: string): Promise<LocationSettings> {
    return settingsOf(await this.requireOpen(id));
  }

  private async requireOpen(id: string): Promise<LocationRow> {
    const location = await this.locations.findOpen(id);
    if (!location) throw LocationErrors.notFound();
    return location;
  }

  private async requireInTenants(tenants: Tenants, id: string, lock = false): Promise<LocationRow> {
    const location = await this.locations.findInTenants(tenants, id, lock);
    if (!location) throw LocationErrors.notFound();
    return location;
  }
}

function settingsOf(location: LocationRow): LocationSettings {
  return {
    id: location.id,
    bizEntityId: location.bizEntityId,
    timezone: location.timezone,
    active: location.active,
    bookingHorizonDays: location.bookingHorizonDays,
    exposure: {
      personMin: location.exposurePersonMin,
      personMax: location.exposurePersonMax,
      locationMin: location.exposureLocationMin,
      locationMax: location.exposureLocationMax,
    },
  };
}
