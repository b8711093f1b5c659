const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every write under /v1/admin is audited, decided by the route as declared (as idempotency is). */
export function isAuditedWrite(method: string, routeTemplate: string): boolean {
  return WRITES.has(method.toUpperCase()) && routeTemplate.startsWith('/v1/admin/');
}

/** The action an audit row names: the operation as the contract writes it, `PATCH /v1/admin/locations/{id}`. */
export function auditAction(method: string, routeTemplate: string): string {
  return `${method.toUpperCase()} ${routeTemplate.replace(/:(\w+)/g, '{$1}')}`;
}
