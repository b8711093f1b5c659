export const ROLES = ['user', 'viewer', 'admin', 'superadmin'] as const;
export type Role = (typeof ROLES)[number];

/** The verified caller of a request. */
export interface Principal {
  /** `sub`: the user's id, a row of `public.auth_user`. */
  readonly userId: string;
  readonly roles: readonly Role[];
  /** `biz`: the businesses this token may administer. */
  readonly bizIds: readonly string[];
}

/**
 * Which businesses an admin query may touch. Repositories put it inside the SQL
 * (`biz_entity_id = ANY(:bizIds)` unless `all`), never filter after loading.
 */
export interface Tenants {
  readonly all: boolean;
  readonly bizIds: readonly string[];
}

export function tenantsOf(principal: Principal): Tenants {
  return { all: principal.roles.includes('superadmin'), bizIds: principal.bizIds };
}

export function canRead(principal: Principal): boolean {
  return principal.roles.some((role) => role === 'viewer' || role === 'admin' || role === 'superadmin');
}

export function canWrite(principal: Principal): boolean {
  return principal.roles.some((role) => role === 'admin' || role === 'superadmin');
}

/** `bizIds` are lower-cased by the verifier; UUIDs compare case-insensitively. */
export function mayAdminister(tenants: Tenants, bizEntityId: string): boolean {
  return tenants.all || tenants.bizIds.includes(bizEntityId.toLowerCase());
}
