import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { HeaderObject, OperationObject, ReferenceObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { describeErrorCode, ErrorCode, ErrorScope } from '../common/errors/error-code';
import { PROBLEM_CONTENT_TYPE } from '../common/errors/problem';
import { METHODS_WITH_CONTENT } from '../common/http/json-body';
import { ETAG_EXTENSION, ETAG_HEADER, honoursIfMatch, IF_MATCH_HEADER } from '../common/http/preconditions';
import { REQUEST_ID_HEADER } from '../common/http/request-id.middleware';
import { idempotencyPolicy, IdempotencyPolicy, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotency.policy';
import { isStorable } from '../idempotency/idempotency.service';
import { applyJourneyExamples } from './journey-examples';
import { FieldErrorDto, PROBLEM_CODES_EXTENSION, ProblemDocumentDto } from './problem-responses';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The tags in the order a reader meets them: browsing and booking first, then administration. */
export const TAGS = [
  ['locations', 'Public: the locations open for booking. Start here.'],
  ['people', 'Public: the people (staff) of a location.'],
  ['slots', 'Public: a few bookable slots of a location or a person (an exposure), sticky for a while.'],
  ['bookings', "Public: hold an offered slot, confirm or cancel it, and list the caller's own bookings."],
  ['calendar', 'Public: a booking as an iCalendar file, and the subscription URLs calendar apps read without a token.'],
  ['admin: locations', 'Admin: create and change locations and their booking policy.'],
  ['admin: people', 'Admin: the people of a location and their weight in offers.'],
  ['admin: availability rules', 'Admin: weekly hours, overrides and blackouts, in the location time zone.'],
  ['admin: slots', 'Admin: materialise slots from the rules; block, reopen or resize them.'],
  ['admin: bookings', "Admin: bookings of any resource; book, move, cancel and close out on a user's behalf."],
  ['admin: exposures', 'Admin: what was offered to whom, and why a slot was or was not.'],
  ['admin: calendar', "Admin: a person's bookings as an iCalendar file, and subscription URLs for it that need no token."],
  ['admin: webhooks', 'Admin: endpoints that receive booking events, signed per Standard Webhooks (docs/events.md); their secrets and deliveries.'],
  ['admin: events', 'Admin: the same events as a resumable feed in commit order, for hosts that poll instead of receiving webhooks.'],
  ['admin: audit log', 'Admin: who changed what — one entry per admin write, with the fields it changed.'],
  ['operations', 'Liveness and readiness probes, without a token.'],
] as const;

const DESCRIPTION = `Appointment scheduling: locations, people, availability, slots, holds and bookings.

- **Authentication**: \`Authorization: Bearer <JWT>\` on everything under \`/v1\`; claims \`sub\` (user id), \`roles\`, \`biz\` (docs/authentication.md).
- **Writes**: every public \`POST\` needs an \`Idempotency-Key\`; admin writes honour one when sent (docs/idempotency.md).
- **Errors**: RFC 9457 problem documents (\`application/problem+json\`) with a stable \`code\`; each operation lists the codes it can answer (docs/errors.md).
- **Events**: booking changes reach the host application as signed webhooks or through the event feed; bookings also come as iCalendar files (docs/events.md).
- **Conventions**: JSON bodies, camelCase; instants in UTC with \`Z\`; local times \`YYYY-MM-DDTHH:mm\` in the location's time zone; lists page with \`limit\` and \`cursor\`.`;

/** Response headers, declared once under components and referenced where they occur. */
const HEADERS: Record<string, HeaderObject> = {
  [REQUEST_ID_HEADER]: {
    description: 'On every response: the `X-Request-Id` the request sent (1–200 visible ASCII characters), else a generated UUID. Quote it when reporting a problem.',
    schema: { type: 'string', example: '4f6c1e0a-9b7d-4c3e-8a2f-5d1b0c9e8f7a' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying the same request (with the same Idempotency-Key, if it had one).',
    schema: { type: 'integer', minimum: 1, example: 5 },
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme: `Bearer`.',
    schema: { type: 'string', example: 'Bearer' },
  },
  [ETAG_HEADER]: {
    description: 'The version of the resource this answer shows. Send it back as `If-Match` on a PATCH so that it applies only to what you read.',
    schema: { type: 'string', example: '"3"' },
  },
  [IDEMPOTENT_REPLAYED_HEADER]: {
    description: '`true` when this is the recorded outcome of an earlier request with the same Idempotency-Key, replayed byte for byte.',
    schema: { type: 'string', enum: ['true'], example: 'true' },
  },
};

const headerRef = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });

/** What decides which scoped codes an operation can answer. */
interface OperationContext {
  v1: boolean;
  admin: boolean;
  body: boolean;
  policy: IdempotencyPolicy;
  /** Honours If-Match. */
  conditional: boolean;
}

/**
 * The contract, generated from the controllers and DTOs. Every operation also gets the problem
 * responses the code table says its kind can give (error-code.ts, `scope`), each status listing
 * its codes, and the headers that come with them.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('General Scheduler API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer('/', 'The server this document is served from')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT issued by the host application: claims `sub`, `roles`, `biz`.' }, 'bearer');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemDocumentDto, FieldErrorDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  document.components = { ...document.components, headers: HEADERS };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const context: OperationContext = {
        v1: path.startsWith('/v1/'),
        admin: path.startsWith('/v1/admin/'),
        body: METHODS_WITH_CONTENT.has(method.toUpperCase()),
        policy: idempotencyPolicy(method, path),
        conditional: honoursIfMatch(method, path),
      };
      if (!context.v1) operation.security = [];
      for (const response of Object.values(operation.responses) as ResponseObject[]) {
        response.headers = { [REQUEST_ID_HEADER]: headerRef(REQUEST_ID_HEADER), ...response.headers };
      }
      if (context.policy !== 'none') documentIdempotencyKey(operation, context.policy === 'required');
      if (context.conditional) documentIfMatch(operation);
      documentETag(operation);
      documentProblems(document, operation, context);
    }
  }
  applyJourneyExamples(document);
  return document;
}

function inScope(scope: ErrorScope | undefined, context: OperationContext): boolean {
  switch (scope) {
    case 'every':
      return context.v1;
    case 'body':
      return context.v1 && context.body;
    case 'admin':
      return context.admin;
    case 'keyed':
      return context.policy !== 'none';
    case 'keyRequired':
      return context.policy === 'required';
    case 'conditional':
      return context.conditional;
    case undefined:
      return false;
  }
}

/**
 * One response per status, naming each code it can carry: in the description for people, and
 * as an enum on `code` for validators and generated clients. Operations that answer the same
 * codes share one response under components.
 */
function documentProblems(document: OpenAPIObject, operation: OperationObject, context: OperationContext): void {
  const extended = operation as OperationObject & Record<string, unknown>;
  const declared = new Set((extended[PROBLEM_CODES_EXTENSION] as ErrorCode[] | undefined) ?? []);
  delete extended[PROBLEM_CODES_EXTENSION];
  const codes = Object.values(ErrorCode).filter((code) => declared.has(code) || inScope(describeErrorCode(code).scope, context));
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = describeErrorCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const shared = (document.components!.responses ??= {});
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    // A keyed write's codes include the Idempotency-Key ones, so the codes decide the response.
    const name = group.map((code) => code.toLowerCase().replace(/(^|_)([a-z])/g, (_match, _sep, letter: string) => letter.toUpperCase())).join('Or');
    shared[name] ??= problemResponse(status, group, context.policy !== 'none');
    operation.responses[String(status)] = { $ref: `#/components/responses/${name}` };
  }
}

function problemResponse(status: number, codes: readonly ErrorCode[], keyed: boolean): ResponseObject {
  const headers: Record<string, ReferenceObject> = { [REQUEST_ID_HEADER]: headerRef(REQUEST_ID_HEADER) };
  for (const name of new Set(codes.flatMap((code) => describeErrorCode(code).headers ?? []))) headers[name] = headerRef(name);
  if (keyed && codes.some((code) => isStorable(status, code))) headers[IDEMPOTENT_REPLAYED_HEADER] = headerRef(IDEMPOTENT_REPLAYED_HEADER);
  return {
    description: `${STATUS_CODES[status]}: a problem document whose \`code\` is one of\n\n${codes.map((code) => `- \`${code}\`: ${describeErrorCode(code).when}`).join('\n')}`,
    headers,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ProblemDocumentDto' },
            { type: 'object', properties: { code: { type: 'string', enum: [...codes], example: codes[0] } } },
          ],
        },
      },
    },
  };
}

/** The header on every write, and the replay marker on its successes (docs/idempotency.md). */
function documentIdempotencyKey(operation: OperationObject, required: boolean): void {
  operation.parameters = [
    ...(operation.parameters ?? []),
    {
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required,
      description:
        (required ? 'Required. ' : 'Optional; honoured when sent. ') +
        'A key you generate per logical request (a UUID is ideal) and send again unchanged when you retry it. ' +
        'Same key and same request within 24 h replays the recorded outcome; the key with another request is 422; while the first is running, 409.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$', example: '5b0e7c1d-8a9f-4b2c-9d3e-1f4a6b8c0d2e' },
    },
  ];
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!status.startsWith('2')) continue;
    (response as ResponseObject).headers = { ...(response as ResponseObject).headers, [IDEMPOTENT_REPLAYED_HEADER]: headerRef(IDEMPOTENT_REPLAYED_HEADER) };
  }
}

/** The precondition of a PATCH (docs/operations.md, lost updates). */
function documentIfMatch(operation: OperationObject): void {
  operation.parameters = [
    ...(operation.parameters ?? []),
    {
      name: IF_MATCH_HEADER,
      in: 'header',
      required: false,
      description:
        'The `ETag` of your last read: the change applies only if nobody changed the resource since (else 412 PRECONDITION_FAILED, and nothing changes). ' +
        'Required when the server runs with REQUIRE_IF_MATCH=true (428 PRECONDITION_REQUIRED without it).',
      schema: { type: 'string', example: '"3"' },
    },
  ];
}

/** `@AnswersETag()` operations: the ETag on their successes. */
function documentETag(operation: OperationObject): void {
  const extended = operation as OperationObject & Record<string, unknown>;
  if (!extended[ETAG_EXTENSION]) return;
  delete extended[ETAG_EXTENSION];
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!status.startsWith('2')) continue;
    (response as ResponseObject).headers = { ...(response as ResponseObject).headers, [ETAG_HEADER]: headerRef(ETAG_HEADER) };
  }
}

/** ReDoc's standalone bundle, served from the npm package: the pages load nothing from elsewhere. */
const REDOC_BUNDLE = require.resolve('redoc/bundles/redoc.standalone.js');

/**
 * What the documentation pages may load: their own scripts and styles (both UIs inject inline
 * styles), images and fonts from this server or data: URLs, ReDoc's search worker, and requests
 * to this server (the document, Swagger UI's "Try it out"). Nothing from another origin, such as
 * the logo ReDoc's footer would fetch from its CDN.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

const REDOC_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>General Scheduler API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="/redoc/redoc.standalone.js"></script>
</body>
</html>
`;

/** `/docs` (Swagger UI), `/redoc` (ReDoc), `/openapi.json` and `/openapi.yaml`, all unauthenticated and self-hosted. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  const http = app.getHttpAdapter();
  const withPolicy = (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    next();
  };
  app.use('/docs', withPolicy);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'General Scheduler API',
    swaggerOptions: { validatorUrl: null },
  });
  http.get('/redoc', (req: Request, res: Response) => withPolicy(req, res, () => res.type('html').send(REDOC_PAGE)));
  http.get('/redoc/redoc.standalone.js', (_req: Request, res: Response) =>
    res.sendFile(REDOC_BUNDLE, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }),
  );
}
