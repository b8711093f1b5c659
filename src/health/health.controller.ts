import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../common/auth/decorators';
import { ErrorCode } from '../common/errors/error-code';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ProblemResponses } from '../openapi/problem-responses';

const STATUS: SchemaObject = { type: 'string', enum: ['ok'], example: 'ok', description: 'Always `ok` on a 200.' };
const LIVE_SCHEMA: SchemaObject = { type: 'object', required: ['status'], properties: { status: STATUS } };
const DEPENDENCIES: SchemaObject = {
  type: 'object',
  description: 'Each dependency checked, with its status.',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', example: 'up' } } },
  example: { database: { status: 'up' } },
};
const READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: STATUS,
    info: { ...DEPENDENCIES, description: 'The dependencies that are up.' },
    error: { ...DEPENDENCIES, description: 'The dependencies that are down (empty on a 200).', example: {} },
    details: { ...DEPENDENCIES, description: 'Every dependency checked.' },
  },
};

@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** The process is up; says nothing about its dependencies. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness probe', description: 'The process is up and serving HTTP. Says nothing about the database: use it to restart a hung process, not to route traffic.' })
  @ApiOkResponse({ description: 'Alive.', schema: LIVE_SCHEMA })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: the database answers. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness probe', description: 'Ready to serve: the database answered within 2 seconds. Route traffic to instances that answer 200.' })
  @ApiOkResponse({ description: 'Ready.', schema: READY_SCHEMA })
  @ProblemResponses(ErrorCode.UNAVAILABLE)
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
  }
}
