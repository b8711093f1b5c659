import type { INestApplication } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request, { Response } from 'supertest';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

interface DocumentedResponse {
  $ref?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: object }>;
}

interface Operation {
  responses: Record<string, DocumentedResponse>;
}

interface OpenApiDocument {
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components?: { schemas?: Record<string, object>; responses?: Record<string, DocumentedResponse> };
}

/** Response headers the contract documents where they occur; a response carrying one it does not document fails. */
const DOCUMENTED_HEADERS = ['X-Request-Id', 'Retry-After', 'WWW-Authenticate', 'Idempotent-Replayed', 'ETag'];

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** A raw body string sent as-is (malformed JSON tests), with Content-Type `contentType` (default application/json). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * supertest plus the contract: every response's status must be documented for its operation,
 * and its body must validate against the documented schema. QA teams test against the same
 * document, so a response the document does not describe fails here first.
 */
export class ContractClient {
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    private readonly app: INestApplication,
    private readonly document: OpenApiDocument,
    private readonly ajv: Ajv,
  ) {}

  static async for(app: INestApplication): Promise<ContractClient> {
    const response = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    const document = response.body as OpenApiDocument;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: document.components ?? {} }, 'openapi');
    return new ContractClient(app, document, ajv);
  }

  get server(): ReturnType<INestApplication['getHttpServer']> {
    return this.app.getHttpServer();
  }

  get(path: string, options: CallOptions = {}): Promise<Response> {
    return this.call('get', path, options);
  }

  post(path: string, options: CallOptions = {}): Promise<Response> {
    return this.call('post', path, options);
  }

  patch(path: string, options: CallOptions = {}): Promise<Response> {
    return this.call('patch', path, options);
  }

  delete(path: string, options: CallOptions = {}): Promise<Response> {
    return this.call('delete', path, options);
  }

  async call(method: Method, path: string, options: CallOptions = {}): Promise<Response> {
    let req = request(this.server)[method](path);
    if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    if (options.rawBody !== undefined) req = req.set('Content-Type', options.contentType ?? 'application/json').send(options.rawBody);
    else if (options.body !== undefined) req = req.send(options.body as object);
    const response = await req;
    this.check(method, path, response);
    return response;
  }

  private check(method: Method, concretePath: string, response: Response): void {
    const template = this.templateFor(concretePath.split('?')[0]);
    if (!template) {
      if (response.status !== 404) throw new Error(`${method.toUpperCase()} ${concretePath}: path is not in the contract`);
      return;
    }
    const operation = this.document.paths[template][method];
    if (!operation) {
      if (response.status !== 404) throw new Error(`${method.toUpperCase()} ${template}: operation is not in the contract`);
      return;
    }
    const declared = operation.responses[String(response.status)] ?? operation.responses.default;
    if (!declared) {
      throw new Error(
        `${method.toUpperCase()} ${template} answered ${response.status}, which the contract does not document: ${response.text}`,
      );
    }
    const documented = declared.$ref ? this.document.components?.responses?.[declared.$ref.replace('#/components/responses/', '')] : declared;
    if (!documented) throw new Error(`${method.toUpperCase()} ${template} ${response.status}: unresolvable ${declared.$ref}`);
    const undocumented = DOCUMENTED_HEADERS.filter((name) => response.headers[name.toLowerCase()] !== undefined && !documented.headers?.[name]);
    if (undocumented.length > 0) {
      throw new Error(`${method.toUpperCase()} ${template} ${response.status} sent ${undocumented.join(', ')}, which the contract does not document there`);
    }
    const contentType = String(response.headers['content-type'] ?? '').split(';')[0];
    const schema = documented.content?.[contentType]?.schema;
    if (!documented.content) return;
    if (!schema) {
      throw new Error(`${method.toUpperCase()} ${template} ${response.status}: undocumented content type ${contentType}`);
    }
    const key = `${method} ${template} ${response.status} ${contentType}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema));
      this.validators.set(key, validate);
    }
    // JSON bodies are parsed; anything else (text/calendar) is checked as the text it is.
    const body = /[/+]json$/.test(contentType) ? response.body : response.text;
    if (!validate(body)) {
      throw new Error(
        `${method.toUpperCase()} ${template} ${response.status} body does not match the contract: ` +
          `${this.ajv.errorsText(validate.errors)}\n${response.text}`,
      );
    }
  }

  /** The most specific template: `/bookings/bulk-cancel` before `/bookings/{id}`. */
  private templateFor(path: string): string | undefined {
    const placeholders = (template: string): number => (template.match(/\{/g) ?? []).length;
    return Object.keys(this.document.paths)
      .filter((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path))
      .sort((a, b) => placeholders(a) - placeholders(b))[0];
  }
}

/** `#/components/schemas/X` inside the document becomes a reference into the registered schema. */
function rewriteRefs(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/')) as object;
}
