import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { TenantScope } from '../common/auth/principal';
import { definedOnly, pageByCreation, tenantCondition, whereInTenant } from '../common/database/query-helpers';
import { hasLiveFutureBookings } from '../common/database/live-bookings';
import { PagePosition } from '../common/http/pagination';
import { LocationEntity } from './location.entity';

export type NewLocation = Omit<LocationEntity, 'id' | 'active' | 'createdAt' | 'updatedAt'>;
export type LocationChanges = Partial<Omit<LocationEntity, 'id' | 'bizEntityId' | 'createdAt' | 'updatedAt'>>;

export interface LocationListFilter {
  bizEntityId?: string;
  active?: boolean;
  after?: PagePosition;
  limit: number;
}

/** SQL for `scheduler.locations`. Admin reads and writes carry the tenant filter in the query. */
@Injectable()
export class LocationsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo(): Repository<LocationEntity> {
    return this.txHost.tx.getRepository(LocationEntity);
  }

  async insert(location: NewLocation): Promise<LocationEntity> {
    const { identifiers } = await this.repo.insert(location);
    return this.repo.findOneByOrFail({ id: identifiers[0].id as string });
  }

  /** Within the caller's tenants; `lock` takes the row for the rest of the transaction. */
  findInScope(scope: TenantScope, id: string, lock = false): Promise<LocationEntity | null> {
    const query = whereInTenant(this.repo.createQueryBuilder('l'), 'l', scope).andWhere('l.id = :id', { id });
    if (lock) query.setLock('pessimistic_write');
    return query.getOne();
  }

  listInScope(scope: TenantScope, filter: LocationListFilter): Promise<LocationEntity[]> {
    return this.page(whereInTenant(this.repo.createQueryBuilder('l'), 'l', scope), filter).getMany();
  }

  /** Locations open for booking: the public API sees active ones only. */
  findActive(id: string): Promise<LocationEntity | null> {
    return this.repo.createQueryBuilder('l').where('l.id = :id AND l.active', { id }).getOne();
  }

  /**
   * The row share-locked until the transaction ends: a timezone change (which takes it for
   * update) waits for the holder, and the holder reads the zone that stays.
   */
  findShareLocked(id: string): Promise<LocationEntity | null> {
    return this.repo.createQueryBuilder('l').where('l.id = :id', { id }).setLock('pessimistic_read').getOne();
  }

  /**
   * IANA names are matched regardless of case (`europe/london` is valid): the name as the
   * time zone database spells it, or `name` itself if the database does not know it.
   */
  async canonicalZoneName(name: string): Promise<string> {
    const [row] = (await this.txHost.tx.query(
      `SELECT name FROM pg_timezone_names WHERE lower(name) = lower($1) ORDER BY name = $1 DESC, name LIMIT 1`,
      [name],
    )) as { name: string }[];
    return row?.name ?? name;
  }

  /** Every active location of every business, for background jobs. */
  listAllActive(): Promise<LocationEntity[]> {
    return this.repo.createQueryBuilder('l').where('l.active').orderBy('l.id').getMany();
  }

  listActive(filter: Omit<LocationListFilter, 'active'>): Promise<LocationEntity[]> {
    return this.page(this.repo.createQueryBuilder('l'), { ...filter, active: true }).getMany();
  }

  /** Live (held or confirmed) bookings on slots that have not started, of this location. */
  hasLiveFutureBookings(id: string): Promise<boolean> {
    return hasLiveFutureBookings(this.txHost.tx, 'location', id);
  }

  /**
   * After a locked read in scope; the tenant filter is repeated in the UPDATE itself all the
   * same. False when it matched no row (the caller answers 404 rather than pretend).
   */
  async update(scope: TenantScope, id: string, changes: LocationChanges): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ ...definedOnly(changes), updatedAt: () => "date_trunc('milliseconds', now())" })
      .where('id = :id', { id })
      .andWhere(...tenantCondition(scope))
      .execute();
    return result.affected === 1;
  }

  private page(query: SelectQueryBuilder<LocationEntity>, filter: LocationListFilter): SelectQueryBuilder<LocationEntity> {
    if (filter.bizEntityId) query.andWhere('l.biz_entity_id = :bizEntityId', { bizEntityId: filter.bizEntityId });
    if (filter.active !== undefined) query.andWhere('l.active = :active', { active: filter.active });
    return pageByCreation(query, 'l', filter.after, filter.limit);
  }
}

