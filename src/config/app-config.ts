import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';
import { isIP } from 'node:net';

/** Every environment variable the service reads. `.env.example` lists the same names. */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 8000;

  @IsString()
  HOST = '0.0.0.0';

  /** PostgreSQL URL. When absent, `npm start` runs an embedded PostgreSQL under DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  /**
   * A direct connection for migrations, which hold a session advisory lock: set it when
   * DATABASE_URL goes through PgBouncer in transaction pooling mode. Defaults to DATABASE_URL.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 5433;

  /** Where the embedded database and the generated development secret live. */
  @IsString()
  @MinLength(1)
  DATA_DIR = '.data';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_MAX = 10;

  /**
   * Send parameterised statements as named prepared statements, parsed and planned once per
   * connection. Turn off behind a pooler that cannot carry them across transactions
   * (PgBouncer before 1.21 in transaction mode, or with max_prepared_statements = 0).
   */
  @Transform(toBool)
  @IsBoolean()
  DB_PREPARED_STATEMENTS = true;

  /** Opening a database connection, and waiting for a free one from the pool, give up after this (503). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_CONNECT_TIMEOUT_MS = 5000;

  /** `statement_timeout` of every transaction (SET LOCAL); each statement is also bounded on the client. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 5000;

  /** `idle_in_transaction_session_timeout` of every transaction (SET LOCAL). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

  /** Every request's database work must answer within this; past it the request gets 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  REQUEST_TIMEOUT_MS = 10_000;

  /** Slot generation and bulk cancel: their request deadline and their statement timeout. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  LONG_REQUEST_TIMEOUT_MS = 120_000;

  /** After SIGTERM: how long in-flight requests may finish before the process exits regardless. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SHUTDOWN_TIMEOUT_MS = 15_000;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'must be a PEM public key (SPKI)' })
  AUTH_JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  AUTH_CLOCK_TOLERANCE_SECONDS = 30;

  /** Oldest accepted token, by its `iat` (which becomes required); also the lifetime of printed demo tokens. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(2_592_000)
  AUTH_MAX_TOKEN_AGE_SECONDS = 86_400;

  /** How long a recorded Idempotency-Key outcome is replayed before it is purged. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(2_592_000)
  IDEMPOTENCY_TTL_SECONDS = 86_400;

  /** How often each instance purges expired idempotency records (in batches). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  IDEMPOTENCY_PURGE_INTERVAL_SECONDS = 300;

  /** Admin PATCHes must carry If-Match (428 PRECONDITION_REQUIRED without one); honoured whenever sent regardless. */
  @Transform(toBool)
  @IsBoolean()
  REQUIRE_IF_MATCH = false;

  /** Keep every active location generated `bookingHorizonDays` ahead (at startup, then periodically). */
  @Transform(toBool)
  @IsBoolean()
  SLOT_HORIZON_JOB_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(604_800)
  SLOT_HORIZON_INTERVAL_SECONDS = 86_400;

  /** How often each instance marks holds past their TTL as expired (they stop counting at once regardless). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  HOLD_SWEEP_INTERVAL_SECONDS = 30;

  /** How long an offer stays sticky: the same request within it gets the same exposure. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  EXPOSURE_TTL_SECONDS = 600;

  /** Deliver webhooks from this instance; any number of instances may (deliveries are claimed with SKIP LOCKED). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_DISPATCH_ENABLED = true;

  /** How often each instance looks for due webhook deliveries. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_DISPATCH_INTERVAL_MS = 1000;

  /** Webhook requests in flight at once per instance. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  WEBHOOK_CONCURRENCY = 16;

  /** Deadline of one webhook request, connect to last response byte; a claimed attempt is leased for twice this. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Delay before the first retry (before jitter); each later retry doubles it. At most 10 s. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(10_000)
  WEBHOOK_RETRY_BASE_MS = 5000;

  /** The longest wait between two attempts. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  WEBHOOK_RETRY_MAX_DELAY_MS = 7_200_000;

  /** How long a failing event is retried, from its first attempt; then it fails and its endpoint is disabled. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2_592_000)
  WEBHOOK_RETRY_FOR_SECONDS = 86_400;

  /** Let webhook URLs reach loopback, private and link-local addresses (tests; never in production). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_URLS = false;

  /** The service's public origin, for the calendar subscription URLs it hands out (default http://localhost:PORT). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL?: string;

  /** How long an expired offer is kept for `explain` before the purge deletes it. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  EXPOSURE_RETENTION_SECONDS = 86_400;

  /** How often each instance purges offers past their retention (in batches). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  EXPOSURE_PURGE_INTERVAL_SECONDS = 300;

  /** New offers one user may be given per minute (each distinct location, person or window is one); 429 beyond. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  EXPOSURES_PER_USER_PER_MINUTE = 60;

  /** Requests per minute per principal (per client address without a valid token); health and metrics are exempt. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_PER_MINUTE = 1200;

  /** Holds (`POST /v1/bookings`) per minute per principal, on top of RATE_LIMIT_PER_MINUTE. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_HOLDS_PER_MINUTE = 30;

  /** Browsing for slots (the two exposure routes) per minute per principal. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_BROWSE_PER_MINUTE = 120;

  /** Slot generation runs per minute per principal. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_GENERATION_PER_MINUTE = 10;

  /** Redis shared by every instance for the rate limits (`redis://` or `rediss://`); in memory per instance when unset. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * Which proxies in front of the service to believe about the client address (X-Forwarded-For):
   * `false` (none, the default), a number of hops, or a comma-separated list of addresses and
   * CIDR ranges (`loopback`, `linklocal`, `uniquelocal` allowed).
   */
  @Transform(toTrustProxy)
  @ValidateBy({
    name: 'trustProxy',
    validator: {
      validate: (value: unknown) => value === false || (typeof value === 'number' && Number.isInteger(value) && value >= 0) || isProxyList(value),
      defaultMessage: () => 'must be false, a number of hops, or a comma-separated list of addresses and CIDR ranges',
    },
  })
  TRUST_PROXY: boolean | number | string = false;

  /** Origins allowed to call the API from a browser, comma-separated (`https://app.example.com`); none when unset. */
  @IsOptional()
  @ValidateBy({
    name: 'corsOrigins',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.split(',').every((origin) => isOrigin(origin.trim())),
      defaultMessage: () => 'must be a comma-separated list of origins such as https://app.example.com (or *)',
    },
  })
  CORS_ORIGINS?: string;

  /** When set, `/metrics` requires `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** OTLP/HTTP endpoint of a trace collector; tracing is off when unset (read by the tracing preload). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * Seed the demo business, location and people at startup (idempotent), and print demo tokens.
   * Default: only on the embedded database, never on a DATABASE_URL unless set to true.
   */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  SEED_DEMO_DATA?: boolean;
}

export type AppConfig = Readonly<Required<Omit<EnvironmentVariables, OptionalKeys>> & Pick<EnvironmentVariables, OptionalKeys>> & {
  readonly SEED_DEMO_DATA: boolean;
};
type OptionalKeys =
  | 'DATABASE_URL'
  | 'DATABASE_MIGRATION_URL'
  | 'AUTH_JWT_SECRET'
  | 'AUTH_JWT_PUBLIC_KEY'
  | 'AUTH_JWKS_URL'
  | 'AUTH_JWT_ISSUER'
  | 'AUTH_JWT_AUDIENCE'
  | 'REDIS_URL'
  | 'CORS_ORIGINS'
  | 'METRICS_TOKEN'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'SEED_DEMO_DATA'
  | 'PUBLIC_BASE_URL';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Thrown for the first bad variable; its message is the one line printed before exiting 1. */
export class ConfigError extends Error {}

/**
 * Validates the environment once. Empty strings count as unset, so a blank line copied from
 * `.env.example` means "use the default".
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const [first] = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (first) {
    const message = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`Invalid environment variable ${first.property}: ${message.replace(`${first.property} `, '')}`);
  }
  const keySources = [config.AUTH_JWT_SECRET, config.AUTH_JWT_PUBLIC_KEY, config.AUTH_JWKS_URL].filter(Boolean);
  if (keySources.length > 1) {
    throw new ConfigError(
      'Invalid environment variable AUTH_JWT_SECRET: set only one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URL',
    );
  }
  if (config.NODE_ENV === 'production' && config.AUTH_JWKS_URL && !config.AUTH_JWKS_URL.startsWith('https://')) {
    throw new ConfigError('Invalid environment variable AUTH_JWKS_URL: must be an https:// URL when NODE_ENV=production');
  }
  return Object.freeze({
    ...config,
    AUTH_JWT_PUBLIC_KEY: config.AUTH_JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
    // Demo rows and tokens signed with the real secret have no place on someone's own database.
    SEED_DEMO_DATA: config.SEED_DEMO_DATA ?? (config.NODE_ENV !== 'production' && !config.DATABASE_URL),
  }) as AppConfig;
}

function toInt({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

/**
 * `false`, a hop count, or the address list as written (Express's `trust proxy` values). `true`
 * (believe any X-Forwarded-For) is refused: any client could then pick its own address.
 */
function toTrustProxy({ value }: { value: unknown }): unknown {
  if (value === 'false') return false;
  return toInt({ value });
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyList(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return value.split(',').every((entry) => {
    const item = entry.trim();
    if (PROXY_NAMES.has(item)) return true;
    const [address, prefix, ...rest] = item.split('/');
    if (rest.length > 0 || isIP(address) === 0) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d+$/.test(prefix) && bits <= (isIP(address) === 4 ? 32 : 128);
  });
}

function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

function toBool({ value }: { value: unknown }): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}
