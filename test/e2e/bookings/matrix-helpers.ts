import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request, { Response } from 'supertest';
import type { CallOptions } from '../../utils/contract';
import type { TestApp } from '../../utils/test-app';

/**
 * Everything a booking route could write for one business: its bookings (every column a
 * route changes), how many events they have, and the idempotency records of `subs`.
 */
export interface Snapshot {
  bookings: Record<string, unknown>[];
  events: number;
  idempotencyRecords: number;
}

export async function snapshot(t: TestApp, bizEntityIds: string[], subs: string[] = []): Promise<Snapshot> {
  const bookings = (await t.db.query(
    `SELECT id, biz_entity_id, location_id, person_id, slot_id, user_id, status, hold_expires_at, notes, metadata, cancel_reason,
            confirmed_at, cancelled_at, updated_at, version
       FROM scheduler.bookings WHERE biz_entity_id = ANY($1::uuid[]) OR user_id = ANY($2::uuid[])
      ORDER BY id`,
    [bizEntityIds, subs],
  )) as Record<string, unknown>[];
  const [events] = (await t.db.query(
    `SELECT count(*)::int AS n FROM scheduler.booking_events WHERE biz_entity_id = ANY($1::uuid[])`,
    [bizEntityIds],
  )) as { n: number }[];
  const [records] = (await t.db.query(
    `SELECT count(*)::int AS n FROM scheduler.idempotency_keys WHERE principal_sub = ANY($1::uuid[])`,
    [subs],
  )) as { n: number }[];
  return { bookings, events: events.n, idempotencyRecords: records.n };
}

export async function bookingRow(t: TestApp, id: string): Promise<Record<string, unknown>> {
  const [row] = (await t.db.query(
    `SELECT id, slot_id, user_id, status, cancel_reason, confirmed_at, cancelled_at, updated_at FROM scheduler.bookings WHERE id = $1`,
    [id],
  )) as Record<string, unknown>[];
  return row;
}

/** Slot start range covering every booking of a `business`: from a day ago to a month ahead. */
export function wideRange(): { from: string; to: string } {
  return {
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Contract checks for literal paths that ContractClient resolves to the wrong template
// ---------------------------------------------------------------------------------------------

type Method = 'get' | 'post';

interface OpenApiDocument {
  paths: Record<string, Partial<Record<Method, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>>;
  components?: { schemas?: Record<string, object> };
}

const contracts = new WeakMap<object, Promise<{ document: OpenApiDocument; ajv: Ajv; validators: Map<string, ValidateFunction> }>>();

function contractOf(t: TestApp): Promise<{ document: OpenApiDocument; ajv: Ajv; validators: Map<string, ValidateFunction> }> {
  let contract = contracts.get(t.app);
  if (!contract) {
    contract = request(t.api.server)
      .get('/openapi.json')
      .then((res) => {
        const document = res.body as OpenApiDocument;
        const ajv = new Ajv({ strict: false, allErrors: true });
        addFormats(ajv);
        ajv.addSchema({ components: document.components ?? {} }, 'openapi');
        return { document, ajv, validators: new Map<string, ValidateFunction>() };
      });
    contracts.set(t.app, contract);
  }
  return contract;
}

/**
 * `t.api`, except for a path that is itself a key of the document (`/v1/admin/bookings/bulk-cancel`):
 * ContractClient takes the first template that matches, `/v1/admin/bookings/{id}`, which has no
 * POST, and throws before it looks at the response. Those calls are checked here the same way
 * (documented status, documented content type, body valid against the schema), against the
 * literal path's own operation.
 */
export async function call(t: TestApp, method: Method, path: string, options: CallOptions = {}): Promise<Response> {
  const { document, ajv, validators } = await contractOf(t);
  const template = path.split('?')[0];
  if (!document.paths[template] || template.includes('{')) return t.api.call(method, path, options);

  let req = request(t.api.server)[method](path);
  if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
  if (options.rawBody !== undefined) req = req.set('Content-Type', 'application/json').send(options.rawBody);
  else if (options.body !== undefined) req = req.send(options.body as object);
  const res = await req;

  const operation = document.paths[template][method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${template}: operation is not in the contract`);
  const documented = operation.responses[String(res.status)] ?? operation.responses.default;
  if (!documented) throw new Error(`${method.toUpperCase()} ${template} answered ${res.status}, which the contract does not document: ${res.text}`);
  if (!documented.content) return res;
  const contentType = String(res.headers['content-type'] ?? '').split(';')[0];
  const schema = documented.content[contentType]?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${template} ${res.status}: undocumented content type ${contentType}`);
  const cacheKey = `${method} ${template} ${res.status} ${contentType}`;
  let validate = validators.get(cacheKey);
  if (!validate) {
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/')) as object);
    validators.set(cacheKey, validate);
  }
  if (!validate(res.body)) {
    throw new Error(`${method.toUpperCase()} ${template} ${res.status} body does not match the contract: ${ajv.errorsText(validate.errors)}\n${res.text}`);
  }
  return res;
}
