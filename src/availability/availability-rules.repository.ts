import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';
import type { TenantScope } from '../common/auth/principal';
import { pageByCreation, tenantCondition, whereInTenant } from '../common/database/query-helpers';
import { hasLiveFutureBookings } from '../common/database/live-bookings';
import { PagePosition } from '../common/http/pagination';
import { AvailabilityRuleEntity, RuleKind } from './availability-rule.entity';

export type NewAvailabilityRule = Omit<AvailabilityRuleEntity, 'id' | 'active' | 'createdAt' | 'updatedAt'>;
export type AvailabilityRuleChanges = Partial<Omit<AvailabilityRuleEntity, 'id' | 'bizEntityId' | 'locationId' | 'personId' | 'kind' | 'createdAt' | 'updatedAt'>>;

export interface RuleListFilter {
  personId?: string;
  locationId?: string;
  active?: boolean;
  after?: PagePosition;
  limit: number;
}

/** SQL for `scheduler.availability_rules`; admin queries carry the tenant filter inside. */
@Injectable()
export class AvailabilityRulesRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo(): Repository<AvailabilityRuleEntity> {
    return this.txHost.tx.getRepository(AvailabilityRuleEntity);
  }

  async insert(rule: NewAvailabilityRule): Promise<AvailabilityRuleEntity> {
    const { identifiers } = await this.repo.insert(rule);
    return this.repo.findOneByOrFail({ id: identifiers[0].id as string });
  }

  findInScope(scope: TenantScope, id: string): Promise<AvailabilityRuleEntity | null> {
    return whereInTenant(this.repo.createQueryBuilder('r'), 'r', scope).andWhere('r.id = :id', { id }).getOne();
  }

  listInScope(scope: TenantScope, filter: RuleListFilter): Promise<AvailabilityRuleEntity[]> {
    const query = whereInTenant(this.repo.createQueryBuilder('r'), 'r', scope);
    if (filter.personId) query.andWhere('r.person_id = :personId', { personId: filter.personId });
    if (filter.locationId) query.andWhere('r.location_id = :locationId', { locationId: filter.locationId });
    if (filter.active !== undefined) query.andWhere('r.active = :active', { active: filter.active });
    return pageByCreation(query, 'r', filter.after, filter.limit).getMany();
  }

  /** The live rules a new window of `kind` could conflict with (the person's row is locked). */
  listActiveOfPerson(personId: string, kind: RuleKind): Promise<AvailabilityRuleEntity[]> {
    return this.repo.findBy({ personId, kind, active: true });
  }

  /** Every live rule of these people, for slot generation. */
  listActiveOfPeople(personIds: readonly string[]): Promise<AvailabilityRuleEntity[]> {
    return this.repo
      .createQueryBuilder('r')
      .where('r.person_id = ANY(:personIds::uuid[]) AND r.active', { personIds })
      .orderBy('r.created_at')
      .addOrderBy('r.id')
      .getMany();
  }

  /** Live (held or confirmed) bookings on slots that have not started, of this rule (through the slots it produced). */
  hasLiveFutureBookings(id: string): Promise<boolean> {
    return hasLiveFutureBookings(this.txHost.tx, 'rule', id);
  }

  /**
   * After a locked read in scope; the tenant filter is repeated in the UPDATE itself all the
   * same. False when it matched no row (the caller answers 404 rather than pretend).
   */
  async update(scope: TenantScope, id: string, changes: AvailabilityRuleChanges): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ ...changes, updatedAt: () => "date_trunc('milliseconds', now())" })
      .where('id = :id', { id })
      .andWhere(...tenantCondition(scope))
      .execute();
    return result.affected === 1;
  }

}
