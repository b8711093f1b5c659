import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { describeErrorCode, ErrorCode } from '../common/errors/error-code';
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
      const universal = [ErrorCode.VALIDATION_FAILED, ErrorCode.UNAUTHENTICATED, ErrorCode.INTERNAL, ErrorCode.UNAVAILABLE];
      if (path.startsWith('/v1/admin/')) universal.push(ErrorCode.FORBIDDEN);
      if (method === 'post' || method === 'patch' || method === 'put') universal.push(ErrorCode.PAYLOAD_TOO_LARGE);
      for (const code of universal) {
        const status = String(describeErrorCode(code).status);
        operation.responses[status] ??= { description: `Problem: ${code}`, content: problemContent };
      }
    }
  }
  return document;
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
