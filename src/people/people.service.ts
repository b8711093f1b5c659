import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Tenants } from '../common/auth/principal';
import { decodeCursor, Page, PageQueryDto, toPage } from '../common/http/pagination';
import { assertPrecondition, Precondition } from '../common/http/preconditions';
import { splitMetadataChange } from '../common/validation/metadata';
import { LocationsService } from '../locations/locations.service';
import { AdminPersonQueryDto, CreatePersonDto, UpdatePersonDto } from './dto/person-request.dto';
import { PersonDto, toPersonDto, toPublicPersonDto } from './dto/person.dto';
import { PeopleRepository, PersonRow } from './people.repository';
import { PeopleErrors } from './people.errors';

/** A person as other modules name it: which location, which business. */
export interface PersonRef {
  id: string;
  name: string;
  locationId: string;
  bizEntityId: string;
}

@Injectable()
export class PeopleService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
  ) {}

  @Transactional()
  async create(tenants: Tenants, dto: CreatePersonDto): Promise<PersonDto> {
    const person = await this.people.insertInTenants(tenants, {
      locationId: dto.locationId,
      name: dto.name,
      email: dto.email ?? null,
      weight: dto.weight ?? 1,
      metadata: dto.metadata ?? {},
    });
    // Another business's location looks exactly like a missing one.
    if (!person) throw PeopleErrors.locationNotFound();
    const created = toPersonDto(person);
    this.audit.record({ target: { type: 'person', id: person.id }, bizEntityId: person.bizEntityId, after: created });
    return created;
  }

  async listForAdmin(tenants: Tenants, query: AdminPersonQueryDto): Promise<Page<PersonDto>> {
    const rows = await this.people.listInTenants(tenants, {
      locationId: query.locationId,
      active: query.active,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toPersonDto);
  }

  async getForAdmin(tenants: Tenants, id: string): Promise<PersonDto> {
    return toPersonDto(await this.require(tenants, id));
  }

  /** A person of the caller's tenants, as other modules name it; 404 otherwise. */
  async refInTenants(tenants: Tenants, id: string): Promise<PersonRef> {
    return refOf(await this.require(tenants, id));
  }

  @Transactional()
  async update(tenants: Tenants, id: string, dto: UpdatePersonDto, precondition?: Precondition): Promise<PersonDto> {
    const current = await this.require(tenants, id, true);
    assertPrecondition(precondition, current, 'person');
    // Deactivating is deleting by another name: the same guard applies.
    if (dto.active === false && (await this.people.hasLiveFutureBookings(id))) throw PeopleErrors.hasLiveBookings();
    const { metadata, ...changes } = dto;
    if (!(await this.people.update(tenants, id, changes, metadata && splitMetadataChange(metadata)))) throw PeopleErrors.notFound();
    const updated = await this.getForAdmin(tenants, id);
    this.audit.record({ target: { type: 'person', id }, bizEntityId: current.bizEntityId, before: toPersonDto(current), after: updated });
    return updated;
  }

  /** Soft delete: the person leaves the public API; rules, slots and history stay. */
  @Transactional()
  async remove(tenants: Tenants, id: string): Promise<void> {
    const current = await this.require(tenants, id, true);
    if (await this.people.hasLiveFutureBookings(id)) throw PeopleErrors.hasLiveBookings();
    if (!(await this.people.update(tenants, id, { active: false }))) throw PeopleErrors.notFound();
    const before = toPersonDto(current);
    this.audit.record({ target: { type: 'person', id }, bizEntityId: current.bizEntityId, before, after: { ...before, active: false } });
  }

  /**
   * The person, locked for the rest of the transaction. Rule writes call this so that two
   * concurrent rule checks for one person run one after the other.
   */
  async lockForRuleChange(tenants: Tenants, id: string): Promise<PersonRef> {
    return refOf(await this.require(tenants, id, true));
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
  async getOpen(id: string): Promise<PersonRef> {
    const person = await this.people.findActiveAtActiveLocation(id);
    if (!person) throw PeopleErrors.notFound();
    return refOf(person);
  }

  async listOpenAtLocation(locationId: string, query: PageQueryDto): Promise<Page<PersonDto>> {
    await this.locations.openSettings(locationId);
    const rows = await this.people.listActiveAtLocation(locationId, { after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, toPublicPersonDto);
  }

  private async require(tenants: Tenants, id: string, lock = false): Promise<PersonRow> {
    const person = await this.people.findInTenants(tenants, id, lock);
    if (!person) throw PeopleErrors.notFound();
    return person;
  }
}

function refOf(person: PersonRow): PersonRef {
  return { id: person.id, name: person.name, locationId: person.locationId, bizEntityId: person.bizEntityId };
}
