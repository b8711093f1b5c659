import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { Repository, SelectQueryBuilder } from 'typeorm';
import type { TenantScope } from '../common/auth/principal';
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
    return this.scoped(this.repo.createQueryBuilder('r'), scope).andWhere('r.id = :id', { id }).getOne();
  }

  listInScope(scope: TenantScope, filter: RuleListFilter): Promise<AvailabilityRuleEntity[]> {
    const query = this.scoped(this.repo.createQueryBuilder('r'), scope);
    if (filter.personId) query.andWhere('r.person_id = :personId', { personId: filter.personId });
    if (filter.locationId) query.andWhere('r.location_id = :locationId', { locationId: filter.locationId });
    if (filter.active !== undefined) query.andWhere('r.active = :active', { active: filter.active });
    if (filter.after) {
      query.andWhere('(r.created_at, r.id) > (:afterCreatedAt, :afterId)', {
        afterCreatedAt: filter.after.createdAt,
        afterId: filter.after.id,
      });
    }
    return query.orderBy('r.created_at', 'ASC').addOrderBy('r.id', 'ASC').limit(filter.limit + 1).getMany();
  }

  /** The live rules a new window of `kind` could conflict with (the person's row is locked). */
  listActiveOfPerson(personId: string, kind: RuleKind): Promise<AvailabilityRuleEntity[]> {
    return this.repo.findBy({ personId, kind, active: true });
  }

  async update(id: string, changes: AvailabilityRuleChanges): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ ...changes, updatedAt: () => "date_trunc('milliseconds', now())" })
      .where('id = :id', { id })
      .execute();
  }

  private scoped(
    query: SelectQueryBuilder<AvailabilityRuleEntity>,
    scope: TenantScope,
  ): SelectQueryBuilder<AvailabilityRuleEntity> {
    return scope.all ? query.where('TRUE') : query.where('r.biz_entity_id = ANY(:bizIds::uuid[])', { bizIds: scope.bizIds });
  }
}
