import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLIENT = join(ROOT, 'clients', 'typescript');
const read = (file: string): string => readFileSync(file, 'utf8');
const manifest = (file: string): Record<string, Record<string, string>> => JSON.parse(read(file)) as Record<string, Record<string, string>>;

describe('the TypeScript client in clients/typescript', () => {
  it('has types generated from the committed docs/openapi.yaml (run `npm run openapi` after changing the API)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'scheduler-client-'));
    try {
      const output = join(directory, 'schema.ts');
      execFileSync(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), join(ROOT, 'docs/openapi.yaml'), '--output', output], { cwd: ROOT, stdio: 'pipe' });
      expect(read(join(CLIENT, 'src', 'schema.ts'))).toBe(read(output));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('pins the same openapi-fetch, openapi-typescript and TypeScript as this repository, with the same override', () => {
    const root = manifest(join(ROOT, 'package.json'));
    const client = manifest(join(CLIENT, 'package.json'));
    expect(client.dependencies['openapi-fetch']).toBe(root.devDependencies['openapi-fetch']);
    expect(client.devDependencies['openapi-typescript']).toBe(root.devDependencies['openapi-typescript']);
    expect(client.devDependencies.typescript).toBe(root.devDependencies.typescript);
    expect(client.overrides).toEqual(root.overrides);
    expect(client.engines).toEqual(root.engines);
  });
});
