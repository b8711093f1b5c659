import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Request, Response } from 'express';
import { describeErrorCode, ErrorCode } from '../common/errors/error-code';
import { idempotencyPolicy, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotency.policy';
import { FieldErrorDto, problemContent, ProblemDocumentDto } from './problem-responses';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The contract, generated from the controllers and DTOs. Every `/v1` operation also gets the
 * problem responses any route can give, so no controller repeats them.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('General Scheduler API')
    .setDescription(
      'Appointment scheduling: locations, people, availability, slots, holds and bookings. ' +
        'Errors are RFC 9457 problem documents (application/problem+json) with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDocumentDto, FieldErrorDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const universal = [ErrorCode.VALIDATION_FAILED, ErrorCode.UNAUTHENTICATED, ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL, ErrorCode.UNAVAILABLE];
      if (path.startsWith('/v1/admin/')) universal.push(ErrorCode.FORBIDDEN);
      if (method === 'post' || method === 'patch' || method === 'put') universal.push(ErrorCode.PAYLOAD_TOO_LARGE);
      const policy = idempotencyPolicy(method, path);
      if (policy !== 'none') {
        universal.push(ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS, ErrorCode.IDEMPOTENCY_KEY_REUSED);
        documentIdempotencyKey(operation, policy === 'required');
      }
      for (const code of universal) {
        const status = String(describeErrorCode(code).status);
        const existing = operation.responses[status] as { description?: string } | undefined;
        if (!existing) operation.responses[status] = { description: `Problem: ${code}`, content: problemContent };
        else if (existing.description?.startsWith('Problem:') && !existing.description.includes(code)) {
          existing.description = `${existing.description}, ${code}`;
        }
      }
    }
  }
  return document;
}

/** The header on every write, and the replay marker on its successes (DOMAIN.md §Idempotency). */
function documentIdempotencyKey(operation: OperationObject, required: boolean): void {
  operation.parameters = [
    ...(operation.parameters ?? []),
    {
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required,
      description:
        (required ? 'Required. ' : 'Optional; honoured when sent. ') +
        'Same key and same request within 24 h replays the recorded response; another request with the key is 422; ' +
        'while the first is running, 409.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
    },
  ];
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!status.startsWith('2')) continue;
    (response as ResponseObject).headers = {
      ...(response as ResponseObject).headers,
      [IDEMPOTENT_REPLAYED_HEADER]: {
        description: '"true" when this is the recorded response of an earlier request with the same key.',
        schema: { type: 'string', enum: ['true'] },
      },
    };
  }
}

/** `/docs` (Swagger UI), `/redoc`, `/openapi.json` and `/openapi.yaml`, all unauthenticated. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'General Scheduler API',
  });
  const redocPage = `<!doctype html>
<html><head><title>General Scheduler API</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="https://cdn.redoc.ly/redoc/v2.5.0/bundles/redoc.standalone.js"></script></body></html>`;
  app
    .getHttpAdapter()
    .get('/redoc', (_req: Request, res: Response) => res.type('html').send(redocPage));
}
