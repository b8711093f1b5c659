import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { Repository, SelectQueryBuilder } from 'typeorm';
import type { TenantScope } from '../common/auth/principal';
import { definedOnly, pageByCreation, tenantCondition, whereInTenant } from '../common/database/query-helpers';
import { hasLiveFutureBookings } from '../common/database/live-bookings';
import { PagePosition } from '../common/http/pagination';
import { PersonEntity } from './person.entity';

export interface NewPerson {
  locationId: string;
  name: string;
  email: string | null;
  weight: number;
}

export type PersonChanges = Partial<Pick<PersonEntity, 'name' | 'email' | 'weight' | 'active'>>;

export interface PersonListFilter {
  locationId?: string;
  active?: boolean;
  after?: PagePosition;
  limit: number;
}

/** SQL for `scheduler.people`. Admin queries carry the tenant filter in the query itself. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo(): Repository<PersonEntity> {
    return this.txHost.tx.getRepository(PersonEntity);
  }

  /**
   * Inserts under a location of the caller's tenants; the business is copied from the
   * location in the same statement. Undefined when the location is not the caller's.
   */
  async insertInScope(scope: TenantScope, person: NewPerson): Promise<PersonEntity | undefined> {
    const rows = (await this.repo.query(
      `INSERT INTO scheduler.people (biz_entity_id, location_id, name, email, weight)
       SELECT l.biz_entity_id, l.id, $2, $3, $4
         FROM scheduler.locations l
        WHERE l.id = $1 AND ($5 OR l.biz_entity_id = ANY($6::uuid[]))
       RETURNING id`,
      [person.locationId, person.name, person.email, person.weight, scope.all, scope.bizIds],
    )) as { id: string }[];
    return rows[0] ? this.repo.findOneByOrFail({ id: rows[0].id }) : undefined;
  }

  /** Within the caller's tenants; `lock` holds the row for the rest of the transaction. */
  findInScope(scope: TenantScope, id: string, lock = false): Promise<PersonEntity | null> {
    const query = whereInTenant(this.repo.createQueryBuilder('p'), 'p', scope).andWhere('p.id = :id', { id });
    if (lock) query.setLock('pessimistic_write');
    return query.getOne();
  }

  listInScope(scope: TenantScope, filter: PersonListFilter): Promise<PersonEntity[]> {
    return this.page(whereInTenant(this.repo.createQueryBuilder('p'), 'p', scope), filter).getMany();
  }

  /** Public: active people of an active location. */
  listActiveAtLocation(locationId: string, filter: Omit<PersonListFilter, 'locationId' | 'active'>): Promise<PersonEntity[]> {
    // A raw table name is not a join target for the query builder (it reads `scheduler.` as an
    // alias and throws), so the location's state is checked with a subquery.
    const query = this.repo
      .createQueryBuilder('p')
      .where('p.location_id = :locationId', { locationId })
      .andWhere('EXISTS (SELECT 1 FROM scheduler.locations l WHERE l.id = p.location_id AND l.active)');
    return this.page(query, { ...filter, active: true }).getMany();
  }

  findActiveAtActiveLocation(id: string): Promise<PersonEntity | null> {
    return this.repo
      .createQueryBuilder('p')
      .where('p.id = :id AND p.active', { id })
      .andWhere('EXISTS (SELECT 1 FROM scheduler.locations l WHERE l.id = p.location_id AND l.active)')
      .getOne();
  }

  /** Every person of a location (deleted ones too), optionally only the given ids. */
  findAllAtLocation(locationId: string, ids?: readonly string[]): Promise<PersonEntity[]> {
    const query = this.repo.createQueryBuilder('p').where('p.location_id = :locationId', { locationId });
    if (ids) query.andWhere('p.id = ANY(:ids::uuid[])', { ids });
    return query.orderBy('p.id').getMany();
  }

  /** Live (held or confirmed) bookings on slots that have not started, of this person. */
  hasLiveFutureBookings(id: string): Promise<boolean> {
    return hasLiveFutureBookings(this.txHost.tx, 'person', id);
  }

  /**
   * After a locked read in scope; the tenant filter is repeated in the UPDATE itself all the
   * same. False when it matched no row (the caller answers 404 rather than pretend).
   */
  async update(scope: TenantScope, id: string, changes: PersonChanges): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ ...definedOnly(changes), updatedAt: () => "date_trunc('milliseconds', now())" })
      .where('id = :id', { id })
      .andWhere(...tenantCondition(scope))
      .execute();
    return result.affected === 1;
  }

  private page(query: SelectQueryBuilder<PersonEntity>, filter: PersonListFilter): SelectQueryBuilder<PersonEntity> {
    if (filter.locationId) query.andWhere('p.location_id = :locationId', { locationId: filter.locationId });
    if (filter.active !== undefined) query.andWhere('p.active = :active', { active: filter.active });
    return pageByCreation(query, 'p', filter.after, filter.limit);
  }
}
