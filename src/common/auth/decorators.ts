import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { Principal, Tenants, tenantsOf } from './principal';

export const IS_PUBLIC = 'auth:isPublic';
export const IS_ADMIN_API = 'auth:isAdminApi';

/** Reachable without a token (health, metrics). Everything else is denied by default. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** An admin controller: viewers may GET, admins may write, both within their `biz`. */
export const AdminApi = (): ClassDecorator & MethodDecorator => SetMetadata(IS_ADMIN_API, true);

export interface AuthenticatedRequest {
  principal?: Principal;
}

function principalOf(ctx: ExecutionContext): Principal {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'A valid bearer token is required.');
  return principal;
}

/** The verified caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => principalOf(ctx));

/** The businesses the caller may administer, for admin queries. */
export const CurrentTenants = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Tenants => tenantsOf(principalOf(ctx)),
);
