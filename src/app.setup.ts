import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ProblemFilter } from './common/errors/problem.filter';
import { sendProblem, toProblem } from './common/errors/problem';
import { validationFailed } from './common/errors/domain-error';
import { jsonBodies } from './common/http/json-body';
import { parseQuery } from './common/http/query-parser';
import { answerClientErrors } from './common/http/client-errors';
import { corsOptions } from './common/http/cors';
import { requestDeadline } from './common/http/request-deadline';
import { requestIdMiddleware } from './common/http/request-id.middleware';
import { requestIdInTraceContext } from './common/http/trace-context';
import { ShutdownGate } from './common/http/shutdown-gate';
import { createValidationPipe } from './common/validation/validation.pipe';
import { dataSourceOptions } from './database/data-source-options';
import { runMigrations } from './database/migrate';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface CreateAppOptions {
  /** Connect to the database and apply migrations (off only for generating the contract). */
  connectDatabase?: boolean;
}

/** The one way an app instance is made: main.ts, the e2e tests and the tools all call it. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  configureApp(app, config);
  if (options.connectDatabase ?? true) {
    await migrate(config);
    await app.get(DataSource).initialize();
  }
  await app.init();
  return app;
}

/** Migrations take a session advisory lock: on a direct connection when one is configured. */
async function migrate(config: AppConfig): Promise<void> {
  const url = config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL ?? '';
  const dataSource = await new DataSource(dataSourceOptions(url, { ...config, DB_POOL_MAX: 1 })).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  // ETags are the versions of resources (preconditions.ts), never Express's hashes of any body.
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY);
  // Express's simple parser, with `metadata[key]=value` folded into one parameter (query-parser.ts).
  app.set('query parser', parseQuery);
  answerClientErrors(app.getHttpServer());
  app.use(requestIdMiddleware);
  // Early, so that refusals (401, 429, 503) are readable by the browser too; answers preflights.
  const cors = corsOptions(config);
  if (cors) app.enableCors(cors);
  app.use(app.get(ShutdownGate).middleware);
  app.use(app.get(MetricsService).middleware);
  // The API serves JSON only; the CSP would block the Swagger and ReDoc pages.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(...jsonBodies(MAX_BODY_BYTES));
  app.use(rejectUnrepresentableBodies);
  app.use(bodyParserErrors);
  app.use(requestDeadline(config));
  app.use(requestIdInTraceContext);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  serveOpenApi(app, buildOpenApiDocument(app));
}

/** No request of this API nests deeper than this; deeper bodies would only exhaust the stack. */
const MAX_BODY_DEPTH = 32;
/** A lone UTF-16 surrogate: JSON can carry one (`"\ud800"`), Unicode text cannot. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Names that reach into prototypes when a body is merged or assigned somewhere, at any depth. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Walks the parsed body without recursion, before any pipe or interceptor sees it, and refuses
 * what no field of this API can hold: absurd nesting, numbers JSON.parse turned into ±Infinity
 * (`1e400`), text with lone surrogates (it would be stored altered, or trip validators), and
 * property names that reach into prototypes (no field of this API has one).
 */
function rejectUnrepresentableBodies(req: Request, _res: Response, next: NextFunction): void {
  const pending: [unknown, number, string][] = [[req.body, 1, 'body']];
  while (pending.length > 0) {
    const [value, depth, field] = pending.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return next(validationFailed([{ field, message: 'must be a finite number' }]));
    }
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      return next(validationFailed([{ field, message: 'must be valid Unicode text (no lone surrogates)' }]));
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      return next(validationFailed([{ field: 'body', message: `must not nest deeper than ${MAX_BODY_DEPTH} levels` }]));
    }
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return next(validationFailed([{ field: 'body', message: 'property names must be valid Unicode text' }]));
      const path = field === 'body' ? key : `${field}.${key}`;
      if (PROTOTYPE_KEYS.has(key)) return next(validationFailed([{ field: path, message: `"${key}" is not allowed as a property name` }]));
      pending.push([child, depth + 1, path]);
    }
  }
  next();
}

/** Malformed or oversized bodies fail before any route runs: render them as problems too. */
function bodyParserErrors(error: unknown, req: Request & { id?: string }, res: Response, next: NextFunction): void {
  if (!error) return next();
  sendProblem(res, toProblem(error, req.id));
}
