import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { createApp } from '../app.setup';
import { loadConfig } from '../config/app-config';
import { renderErrorsDoc } from './error-docs';
import { buildOpenApiDocument } from './openapi';

/** `npm run openapi`: writes docs/openapi.yaml and docs/errors.md from the code, without a database. */
async function writeOpenApi(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', AUTH_JWT_SECRET: 'x'.repeat(32) });
  const app = await createApp(config, { connectDatabase: false });
  const docs = resolve(__dirname, '..', '..', 'docs');
  writeFileSync(resolve(docs, 'openapi.yaml'), stringify(buildOpenApiDocument(app), { aliasDuplicateObjects: false }));
  writeFileSync(resolve(docs, 'errors.md'), renderErrorsDoc());
  await app.close();
  console.log(`wrote ${resolve(docs, 'openapi.yaml')} and ${resolve(docs, 'errors.md')}`);
}

void writeOpenApi();
