import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * The HS256 secret `npm start` uses when no key material is configured: created once under
 * DATA_DIR and reused, so tokens printed (or minted with `npm run token`) yesterday still work.
 */
export async function developmentSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'dev-jwt-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}
