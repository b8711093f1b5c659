import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/app-config';
import { developmentSecret } from './development-secret';
import { Role, ROLES } from './principal';
import { signHs256Token } from './tokens';
import { UUID_PATTERN } from '../validation/uuid';

const DEFAULT_TTL_SECONDS = 86_400;
const MAX_TTL_SECONDS = 31_536_000;

export const TOKEN_USAGE = `Usage: npm run -s token -- --sub <uuid> [--roles user|viewer|admin|superadmin[,…]] [--biz <uuid>[,…]] [--ttl <seconds>]

Prints a bearer token signed with the configured HS256 secret (AUTH_JWT_SECRET, or the
development secret under DATA_DIR that \`npm start\` uses when none is set), with the
configured AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE. --sub is a user id (a row of
public.auth_user), --biz the businesses an admin or viewer may administer; --ttl defaults to
${DEFAULT_TTL_SECONDS} seconds.`;

/** A mistake in how the command was called: printed with the usage. */
export class UsageError extends Error {}

/** Reads the arguments, signs the token and returns it; `warn` receives lines meant for stderr. */
export async function mintToken(argv: readonly string[], env: NodeJS.ProcessEnv, warn: (line: string) => void): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sub: { type: 'string' },
      roles: { type: 'string', multiple: true },
      biz: { type: 'string', multiple: true },
      ttl: { type: 'string' },
    },
    strict: true,
  });
  const sub = values.sub;
  if (!sub || !UUID_PATTERN.test(sub)) throw new UsageError('--sub must be a UUID (the id of a row of public.auth_user)');
  const roles = listOf(values.roles);
  const unknownRole = roles.find((role) => !(ROLES as readonly string[]).includes(role));
  if (unknownRole) throw new UsageError(`--roles: unknown role ${unknownRole} (known: ${ROLES.join(', ')})`);
  const biz = listOf(values.biz);
  const badBiz = biz.find((id) => !UUID_PATTERN.test(id));
  if (badBiz) throw new UsageError(`--biz: ${badBiz} is not a UUID`);
  const ttl = values.ttl === undefined ? DEFAULT_TTL_SECONDS : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) throw new UsageError(`--ttl must be a whole number of seconds, 1 to ${MAX_TTL_SECONDS}`);

  const config = loadConfig(env);
  if (config.AUTH_JWT_PUBLIC_KEY || config.AUTH_JWKS_URL) {
    throw new ConfigError('This service verifies RS256/ES256 tokens (AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL): mint them with your identity provider.');
  }
  if (config.NODE_ENV === 'production') {
    if (!config.AUTH_JWT_SECRET) throw new ConfigError('AUTH_JWT_SECRET is required when NODE_ENV=production');
    const grants = `roles [${roles.join(', ') || 'user'}]${biz.length > 0 ? ` for businesses ${biz.join(', ')}` : ''}`;
    for (const line of [
      '',
      '!!! WARNING: NODE_ENV=production. This token is signed with the production AUTH_JWT_SECRET.',
      `!!! Whoever holds it acts as ${sub} with ${grants} for ${ttl} seconds.`,
      '!!! Production tokens should come from your identity provider; keep this one secret and short-lived.',
      '',
    ]) {
      warn(line);
    }
  }
  const secret = config.AUTH_JWT_SECRET ?? (await developmentSecret(config.DATA_DIR));
  return signHs256Token(
    secret,
    { sub, ...(roles.length > 0 ? { roles: roles as Role[] } : {}), ...(biz.length > 0 ? { biz } : {}) },
    ttl,
    { issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE },
  );
}

/** `--roles admin,viewer` and `--roles admin --roles viewer` alike. */
function listOf(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(TOKEN_USAGE);
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  console.log(await mintToken(process.argv.slice(2), process.env, (line) => console.error(line)));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n\n${TOKEN_USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
