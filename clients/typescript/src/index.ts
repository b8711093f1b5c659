import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** A schema of the contract by name: `Schema<'BookingDto'>`, `Schema<'ErrorCode'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** Every problem document (RFC 9457) the API answers with, whatever its status. */
export type Problem = Schema<'ProblemDocumentDto'>;

/**
 * The public POSTs declare a required Idempotency-Key header. The client's middleware adds one
 * when a call sends none, so in these types the header is optional: a call may still pass its
 * own key, and must, to retry a write safely (see createSchedulerClient).
 */
type KeyAdded<Operation> = Operation extends { parameters: { header: infer Header } }
  ? Omit<Operation, 'parameters'> & { parameters: Omit<Operation['parameters'], 'header'> & { header?: Partial<Header> } }
  : Operation;

/** `paths`, with the Idempotency-Key the middleware adds made optional. */
export type SchedulerPaths = { [Path in keyof paths]: { [Method in keyof paths[Path]]: KeyAdded<paths[Path][Method]> } };

export type SchedulerClient = Client<SchedulerPaths>;

/** A bearer token, or where to get the current one: called before every request, so it may refresh. */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface SchedulerClientOptions extends ClientOptions {
  /** Where the API is, without `/v1`: `https://scheduler.example.com`. */
  baseUrl: string;
  /** The caller's JWT, issued by the host application. */
  token?: TokenSource;
  /** Makes the Idempotency-Key of a write sent without one; a random UUID by default. */
  newIdempotencyKey?: () => string;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Sends `Authorization: Bearer <token>` unless the request already has an Authorization
 * header, and gives every write without an `Idempotency-Key` a fresh one. A fresh key makes
 * a write safe against a duplicate the network made, not against your own retry: to retry a
 * write, send it again with the key it had (`params: { header: { 'Idempotency-Key': key } }`).
 */
export function schedulerMiddleware(token: TokenSource | undefined, newIdempotencyKey: () => string = () => crypto.randomUUID()): Middleware {
  return {
    async onRequest({ request }) {
      const bearer = typeof token === 'function' ? await token() : token;
      if (bearer && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${bearer}`);
      if (WRITES.has(request.method) && !request.headers.has('Idempotency-Key')) request.headers.set('Idempotency-Key', newIdempotencyKey());
      return request;
    },
  };
}

/**
 * A typed client of the whole API: `client.GET('/v1/locations/{locationId}/slots', { params: { path: { locationId } } })`
 * answers `{ data, error, response }`, where `data` is the success body and `error` the problem
 * document, both typed from the contract.
 */
export function createSchedulerClient({ token, newIdempotencyKey, ...options }: SchedulerClientOptions): SchedulerClient {
  const client = createClient<SchedulerPaths>(options);
  client.use(schedulerMiddleware(token, newIdempotencyKey));
  return client;
}
