import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { startTestApp, TestApp } from '../../utils/test-app';

describe('the OpenAPI contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('served at /openapi.json equals the committed docs/openapi.yaml (run `npm run openapi` after changing the API)', async () => {
    const served = await request(t.app.getHttpServer()).get('/openapi.json').expect(200);
    const committed: unknown = parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'openapi.yaml'), 'utf8'));
    expect(served.body).toEqual(committed);
  });

  it('is also served as YAML, with the same content', async () => {
    const json = await request(t.app.getHttpServer()).get('/openapi.json').expect(200);
    const yaml = await request(t.app.getHttpServer()).get('/openapi.yaml').expect(200);
    expect(parse(yaml.text)).toEqual(json.body);
  });

  it('documents a problem response with the problem schema on every /v1 operation', async () => {
    const { body } = await request(t.app.getHttpServer()).get('/openapi.json').expect(200);
    const document = body as { paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>> };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
    expect(operations.length).toBeGreaterThan(0);
    for (const { path, method, operation } of operations) {
      for (const status of ['400', '401', '500']) {
        expect({ path, method, status, response: operation.responses[status] }).toEqual({
          path,
          method,
          status,
          response: expect.objectContaining({
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDocumentDto' } } },
          }),
        });
      }
      expect({ path, method, security: operation.security }).toEqual({ path, method, security: [{ bearer: [] }] });
    }
  });

  it('serves Swagger UI at /docs and ReDoc at /redoc without a token', async () => {
    const docs = await request(t.app.getHttpServer()).get('/docs/').expect(200);
    expect(docs.text).toContain('swagger-ui');
    const redoc = await request(t.app.getHttpServer()).get('/redoc').expect(200);
    expect(redoc.text).toContain('<redoc spec-url="/openapi.json">');
  });
});
