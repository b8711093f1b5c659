import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ScheduleModule } from '@nestjs/schedule';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from './config/app-config';
import { AuditModule } from './audit/audit.module';
import { AvailabilityModule } from './availability/availability.module';
import { BookingsModule } from './bookings/bookings.module';
import { CalendarModule } from './calendar/calendar.module';
import { AppConfigModule } from './config/app-config.module';
import { AuthModule } from './common/auth/auth.module';
import { AuditTrailModule } from './common/audit/audit-trail';
import { SqlModule } from './common/database/sql-runner';
import { PreconditionsModule } from './common/http/preconditions.interceptor';
import { LongRunningInterceptor } from './common/http/request-deadline';
import { redactedError, traceFields } from './common/logging/log-fields';
import { RateLimitGuard } from './common/rate-limit/rate-limit.guard';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { ShutdownGate } from './common/http/shutdown-gate';
import { logDestination } from './common/logging/logging';
import { dataSourceOptions } from './database/data-source-options';
import { EventsModule } from './events/events.module';
import { ExposuresModule } from './exposures/exposures.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LocationsModule } from './locations/locations.module';
import { MetricsModule } from './metrics/metrics.module';
import { PeopleModule } from './people/people.module';
import { SlotsModule } from './slots/slots.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: config.LOG_LEVEL,
              // The id was set by requestIdMiddleware before any other middleware ran.
              genReqId: (req: IncomingMessage) => req.id,
              redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
              serializers: { err: redactedError },
              mixin: traceFields,
              autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
            },
            logDestination(),
          ],
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(config.DATABASE_URL ?? '', config),
            autoLoadEntities: true,
            // createApp() connects and migrates explicitly; the OpenAPI generator never connects.
            manualInitialization: true,
          }),
        }),
        ClsModule.forRoot({
          global: true,
          // No proxy providers are declared: resolving them would cost every request a dynamic require
          // (one declared later needs this back on).
          middleware: { mount: true, resolveProxyProviders: false },
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
            }),
          ],
        }),
        ScheduleModule.forRoot(),
        RateLimitModule.forRoot(config),
        SqlModule,
        AuthModule,
        IdempotencyModule,
        AuditTrailModule,
        MetricsModule,
        HealthModule,
        LocationsModule,
        PeopleModule,
        AvailabilityModule,
        SlotsModule,
        BookingsModule.withHoldAdmission(ExposuresModule),
        ExposuresModule,
        EventsModule,
        WebhooksModule,
        CalendarModule,
        // After IdempotencyModule: their interceptors run inside its one, preconditions first.
        PreconditionsModule,
        AuditModule,
      ],
      providers: [
        // Before the AuthGuard; it verifies the token itself (once per request) to count per principal.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        // The first interceptor: the limits it widens must be in place before a transaction opens.
        { provide: APP_INTERCEPTOR, useClass: LongRunningInterceptor },
        ShutdownGate,
      ],
    };
  }
}
