import type { Tenants } from '../auth/principal';
import type { PagePosition } from '../http/pagination';
import type { MetadataMerge } from '../validation/metadata';

/**
 * The positional parameters of one raw statement, numbered as they are added, so a statement is
 * written in reading order: `WHERE l.id = ${p.add(id)} AND ${inTenants(p, tenants, 'l.biz_entity_id')}`.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** `$n` for `value`, with a cast when given (`uuid[]`, `timestamptz`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/**
 * Tenancy, once: the condition every admin statement carries on its tenant column, inside the
 * query itself (DOMAIN.md §Data and tenancy). A superadmin's tenants are all of them.
 */
export function inTenants(params: SqlParams, tenants: Tenants, column: string): string {
  return tenants.all ? 'TRUE' : `${column} = ANY(${params.add(tenants.bizIds, 'uuid[]')})`;
}

/** Who reaches a row: its owner (a user's own bookings) or an operator within tenants. Never nobody. */
export type Access = { readonly ownerId: string } | { readonly tenants: Tenants };

/** The condition `access` puts on a row whose owner and tenant live in these columns. */
export function withAccess(params: SqlParams, access: Access, columns: { owner: string; tenant: string }): string {
  return 'ownerId' in access ? `${columns.owner} = ${params.add(access.ownerId, 'uuid')}` : inTenants(params, access.tenants, columns.tenant);
}

/**
 * A keyset page in (`at`, `id`) order: the condition for rows after `after` (TRUE on the first
 * page) and the ORDER BY with one extra row, which only says whether a next page exists.
 */
export function keysetPage(
  params: SqlParams,
  page: { after?: PagePosition; limit: number },
  columns: { at: string; id: string },
): { after: string; orderAndLimit: string } {
  const after = page.after
    ? `(${columns.at}, ${columns.id}) > (${params.add(page.after.at, 'timestamptz')}, ${params.add(page.after.id, 'uuid')})`
    : 'TRUE';
  return { after, orderAndLimit: `ORDER BY ${columns.at}, ${columns.id} LIMIT ${params.add(page.limit + 1)}` };
}

/** `column = value` when a filter is given, TRUE when it is not. */
export function optionalEquals(params: SqlParams, column: string, value: unknown, cast?: string): string {
  return value === undefined || value === null ? 'TRUE' : `${column} = ${params.add(value, cast)}`;
}

/**
 * The SET list of a PATCH: each defined change as `column = $n`, so fields the request does not
 * name keep their values (never NULL). `columns` maps each field to its column.
 */
export function setChanges<T extends object>(params: SqlParams, changes: T, columns: Record<keyof T, string>): string[] {
  return (Object.entries(changes) as [keyof T, unknown][])
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => `${columns[field]} = ${params.add(value)}`);
}

/** A PATCH names some fields; the others must not become NULL. */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * A metadata change merged in SQL, within the UPDATE that writes it: the keys set replace or
 * join the stored ones, the keys removed go. The table's CHECKs refuse a result over 50 keys.
 */
export function mergedMetadata(params: SqlParams, column: string, change: MetadataMerge): string {
  return `(${column} || ${params.add(JSON.stringify(change.set), 'jsonb')}) - ${params.add(change.removed, 'text[]')}`;
}

/**
 * A timestamptz as epoch milliseconds in a float8, which pg hands to Node as a number: no numeric
 * arithmetic in the database (what `extract` returns), no string to convert in Node. Exact for
 * whole milliseconds, as every stored instant here is.
 */
export function epochMs(column: string): string {
  return `round(date_part('epoch', ${column}) * 1000)`;
}
