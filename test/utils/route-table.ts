import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** One operation of the committed contract, as route-driven tests iterate them. */
export interface RouteOperation {
  method: Method;
  /** OpenAPI template, `/v1/bookings/{id}/confirm`. */
  template: string;
  admin: boolean;
  /** Public POSTs: the API refuses them without an Idempotency-Key. */
  keyRequired: boolean;
  /** Needs no bearer token (`security: []`): health, and the calendar subscription URL whose secret is in the path. */
  public: boolean;
  /** Query parameters the operation requires (`slotId` of explain). */
  requiredQuery: string[];
  /** Every query parameter the operation declares. */
  query: string[];
  /** The schema of its JSON request body (`CreateLocationDto`), when it takes one. */
  body?: string;
}

const document = parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.yaml'), 'utf8')) as {
  paths: Record<
    string,
    Partial<Record<Method, { parameters?: { name: string; in: string; required?: boolean }[]; security?: unknown[]; requestBody?: { content: Record<string, { schema?: { $ref?: string } }> } }>>
  >;
};

/** Every operation of docs/openapi.yaml (the drift test keeps it equal to the served document). */
export const ROUTE_TABLE: readonly RouteOperation[] = Object.entries(document.paths).flatMap(([template, item]) =>
  (['get', 'post', 'patch', 'put', 'delete'] as const).flatMap((method): RouteOperation[] => {
    const operation = item[method];
    if (!operation) return [];
    const keyHeader = operation.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key');
    return [
      { method, template, admin: template.startsWith('/v1/admin/'), keyRequired: keyHeader?.required === true, public: operation.security?.length === 0,
        requiredQuery: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query' && parameter.required === true).map((parameter) => parameter.name),
        query: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        body: operation.requestBody?.content['application/json']?.schema?.$ref?.split('/').pop(),
      },
    ];
  }),
);

/** The template with every `{param}` replaced. */
export function fillTemplate(template: string, value: (name: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => value(name));
}
