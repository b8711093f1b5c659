import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { TenantScope } from '../auth/principal';
import type { PagePosition } from '../http/pagination';

/** Starts the WHERE clause with the tenant filter, so it sits inside every admin query. */
export function whereInTenant<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  scope: TenantScope,
): SelectQueryBuilder<T> {
  return query.where(...tenantCondition(scope, `${alias}.biz_entity_id`));
}

/** The tenant filter as a condition and its parameters, for statements other than SELECTs. */
export function tenantCondition(scope: TenantScope, column = 'biz_entity_id'): [string, ObjectLiteral] {
  return scope.all ? ['TRUE', {}] : [`${column} = ANY(:bizIds::uuid[])`, { bizIds: scope.bizIds }];
}

/** Keyset page in creation order; one extra row tells whether a next page exists. */
export function pageByCreation<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  after: PagePosition | undefined,
  limit: number,
): SelectQueryBuilder<T> {
  if (after) {
    query.andWhere(`(${alias}.created_at, ${alias}.id) > (:afterCreatedAt, :afterId)`, {
      afterCreatedAt: after.at,
      afterId: after.id,
    });
  }
  return query.orderBy(`${alias}.created_at`, 'ASC').addOrderBy(`${alias}.id`, 'ASC').limit(limit + 1);
}

/** A PATCH names some fields; the others must not become NULL. */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
