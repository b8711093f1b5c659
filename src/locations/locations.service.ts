import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { mayAdminister } from '../common/auth/principal';
import type { TenantScope } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { AdminLocationQueryDto, CreateLocationDto, PublicLocationQueryDto, UpdateLocationDto } from './dto/location-request.dto';
import { LocationDto, toLocationDto } from './dto/location.dto';
import { DEFAULT_LOCATION_POLICY, mergePolicy, policyColumnsOf } from './location-policy';
import { LocationsRepository } from './locations.repository';
import { LocationErrors } from './locations.errors';

@Injectable()
export class LocationsService {
  constructor(private readonly locations: LocationsRepository) {}

  @Transactional()
  async create(scope: TenantScope, dto: CreateLocationDto): Promise<LocationDto> {
    if (!mayAdminister(scope, dto.bizEntityId)) throw LocationErrors.foreignBusiness(dto.bizEntityId);
    const location = await this.locations.insert({
      bizEntityId: dto.bizEntityId,
      name: dto.name,
      timezone: await this.locations.canonicalZoneName(dto.timezone),
      ...mergePolicy(DEFAULT_LOCATION_POLICY, dto.policy),
    });
    return toLocationDto(location);
  }

  async listForAdmin(scope: TenantScope, query: AdminLocationQueryDto): Promise<Page<LocationDto>> {
    const rows = await this.locations.listInScope(scope, {
      bizEntityId: query.bizEntityId,
      active: query.active,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toLocationDto);
  }

  async getForAdmin(scope: TenantScope, id: string): Promise<LocationDto> {
    const location = await this.locations.findInScope(scope, id);
    if (!location) throw LocationErrors.notFound();
    return toLocationDto(location);
  }

  @Transactional()
  async update(scope: TenantScope, id: string, dto: UpdateLocationDto): Promise<LocationDto> {
    const current = await this.locations.findInScope(scope, id, true);
    if (!current) throw LocationErrors.notFound();
    const timezone = dto.timezone === undefined ? undefined : await this.locations.canonicalZoneName(dto.timezone);
    // A timezone change moves every future slot's instant: not while bookings rely on them.
    if (timezone !== undefined && timezone !== current.timezone && (await this.locations.hasLiveFutureBookings(id))) {
      throw LocationErrors.hasLiveBookings('change its timezone');
    }
    if (dto.active === false && current.active && (await this.locations.hasLiveFutureBookings(id))) {
      throw LocationErrors.hasLiveBookings('be deactivated');
    }
    const changed = await this.locations.update(scope, id, {
      name: dto.name,
      timezone,
      active: dto.active,
      ...mergePolicy(policyColumnsOf(current), dto.policy),
    });
    if (!changed) throw LocationErrors.notFound();
    return this.getForAdmin(scope, id);
  }

  /** Soft delete: history stays, the location disappears from the public API. */
  @Transactional()
  async remove(scope: TenantScope, id: string): Promise<void> {
    const current = await this.locations.findInScope(scope, id, true);
    if (!current) throw LocationErrors.notFound();
    if (await this.locations.hasLiveFutureBookings(id)) throw LocationErrors.hasLiveBookings('be deleted');
    if (!(await this.locations.update(scope, id, { active: false }))) throw LocationErrors.notFound();
  }

  async listOpen(query: PublicLocationQueryDto): Promise<Page<LocationDto>> {
    const rows = await this.locations.listActive({
      bizEntityId: query.bizEntityId,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toLocationDto);
  }

  /** For slot generation, under its lock: the location as it stays until the run commits. */
  async lockForGeneration(id: string): Promise<LocationDto | undefined> {
    const location = await this.locations.findShareLocked(id);
    return location ? toLocationDto(location) : undefined;
  }

  /** Active locations across all businesses, for background jobs (no caller, no tenant). */
  async listActiveForJobs(): Promise<LocationDto[]> {
    return (await this.locations.listAllActive()).map(toLocationDto);
  }

  async getOpen(id: string): Promise<LocationDto> {
    const location = await this.locations.findActive(id);
    if (!location) throw LocationErrors.notFound();
    return toLocationDto(location);
  }
}
