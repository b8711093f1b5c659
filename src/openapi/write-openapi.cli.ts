import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { createApp } from '../app.setup';
import { loadConfig } from '../config/app-config';
import { buildOpenApiDocument } from './openapi';

/** `npm run openapi`: writes docs/openapi.yaml from the code, without a database. */
async function writeOpenApi(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', AUTH_JWT_SECRET: 'x'.repeat(32) });
  const app = await createApp(config, { connectDatabase: false });
  const target = resolve(__dirname, '..', '..', 'docs', 'openapi.yaml');
  writeFileSync(target, stringify(buildOpenApiDocument(app), { aliasDuplicateObjects: false }));
  await app.close();
  console.log(`wrote ${target}`);
}

void writeOpenApi();
