import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../common/auth/principal';
import { decodeCursor, Page, PageQueryDto, toPage } from '../common/http/pagination';
import { LocationsService } from '../locations/locations.service';
import { AdminPersonQueryDto, CreatePersonDto, UpdatePersonDto } from './dto/person-request.dto';
import { PersonDto, toPersonDto, toPublicPersonDto } from './dto/person.dto';
import { PeopleRepository } from './people.repository';
import { PeopleErrors } from './people.errors';
import { PersonEntity } from './person.entity';

@Injectable()
export class PeopleService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly locations: LocationsService,
  ) {}

  @Transactional()
  async create(scope: TenantScope, dto: CreatePersonDto): Promise<PersonDto> {
    const person = await this.people.insertInScope(scope, {
      locationId: dto.locationId,
      name: dto.name,
      email: dto.email ?? null,
      weight: dto.weight ?? 1,
    });
    // Another business's location looks exactly like a missing one.
    if (!person) throw PeopleErrors.locationNotFound();
    return toPersonDto(person);
  }

  async listForAdmin(scope: TenantScope, query: AdminPersonQueryDto): Promise<Page<PersonDto>> {
    const rows = await this.people.listInScope(scope, {
      locationId: query.locationId,
      active: query.active,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toPersonDto);
  }

  async getForAdmin(scope: TenantScope, id: string): Promise<PersonDto> {
    return toPersonDto(await this.require(scope, id));
  }

  @Transactional()
  async update(scope: TenantScope, id: string, dto: UpdatePersonDto): Promise<PersonDto> {
    await this.require(scope, id, true);
    // Deactivating is deleting by another name: the same guard applies.
    if (dto.active === false && (await this.people.hasLiveFutureBookings(id))) throw PeopleErrors.hasLiveBookings();
    if (!(await this.people.update(scope, id, dto))) throw PeopleErrors.notFound();
    return this.getForAdmin(scope, id);
  }

  /** Soft delete: the person leaves the public API; rules, slots and history stay. */
  @Transactional()
  async remove(scope: TenantScope, id: string): Promise<void> {
    await this.require(scope, id, true);
    if (await this.people.hasLiveFutureBookings(id)) throw PeopleErrors.hasLiveBookings();
    if (!(await this.people.update(scope, id, { active: false }))) throw PeopleErrors.notFound();
  }

  /**
   * The person, locked for the rest of the transaction. Rule writes call this so that two
   * concurrent rule checks for one person run one after the other.
   */
  async lockForRuleChange(scope: TenantScope, id: string): Promise<PersonEntity> {
    return this.require(scope, id, true);
  }

  /**
   * The people a slot generation covers: all of the location's, or the named ones, each of
   * which must belong to it. Deleted people are included so their slots retire.
   */
  async peopleForGeneration(locationId: string, ids?: readonly string[]): Promise<{ id: string; active: boolean }[]> {
    const people = await this.people.findAllAtLocation(locationId, ids);
    const missing = ids?.filter((id) => !people.some((person) => person.id === id.toLowerCase())) ?? [];
    if (missing.length > 0) throw PeopleErrors.notAtLocation(missing);
    return people.map((person) => ({ id: person.id, active: person.active }));
  }

  /** An active person of an active location, for the public API; anything else is 404. */
  async getOpen(id: string): Promise<{ id: string; locationId: string }> {
    const person = await this.people.findActiveAtActiveLocation(id);
    if (!person) throw PeopleErrors.notFound();
    return { id: person.id, locationId: person.locationId };
  }

  async listOpenAtLocation(locationId: string, query: PageQueryDto): Promise<Page<PersonDto>> {
    await this.locations.getOpen(locationId);
    const rows = await this.people.listActiveAtLocation(locationId, { after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, toPublicPersonDto);
  }

  private async require(scope: TenantScope, id: string, lock = false): Promise<PersonEntity> {
    const person = await this.people.findInScope(scope, id, lock);
    if (!person) throw PeopleErrors.notFound();
    return person;
  }
}
