import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { renderErrorsDoc } from '../../../src/openapi/error-docs';
import { DOCS_CONTENT_SECURITY_POLICY } from '../../../src/openapi/openapi';
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

  it('has its error-code table, docs/errors.md, generated from the code table (run `npm run openapi` after changing a code)', () => {
    expect(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('is also served as YAML, with the same content', async () => {
    const json = await request(t.app.getHttpServer()).get('/openapi.json').expect(200);
    const yaml = await request(t.app.getHttpServer()).get('/openapi.yaml').expect(200);
    expect(parse(yaml.text)).toEqual(json.body);
  });

  it('documents 400, 401 and 500 problem responses on every /v1 operation, each naming its codes; health needs no token', async () => {
    const { body } = await request(t.app.getHttpServer()).get('/openapi.json').expect(200);
    const document = body as {
      paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }>; security?: unknown }>>;
      components: { responses: Record<string, { content: Record<string, { schema: { allOf: [unknown, { properties: { code: { enum: string[] } } }] } }> }> };
    };
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
    const v1 = operations.filter(({ path }) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(30);
    for (const { path, method, operation } of v1) {
      for (const [status, code] of [['400', 'VALIDATION_FAILED'], ['401', 'UNAUTHENTICATED'], ['500', 'INTERNAL']] as const) {
        const name = operation.responses[status]?.$ref?.replace('#/components/responses/', '') ?? '';
        const schema = document.components.responses[name]?.content['application/problem+json'].schema;
        expect({ path, method, status, problem: schema?.allOf[0], codes: schema?.allOf[1].properties.code.enum }).toEqual({
          path,
          method,
          status,
          problem: { $ref: '#/components/schemas/ProblemDocumentDto' },
          codes: expect.arrayContaining([code]),
        });
      }
      expect({ path, method, security: operation.security }).toEqual({ path, method, security: [{ bearer: [] }] });
    }
    for (const { path, method, operation } of operations.filter(({ path }) => path.startsWith('/health/'))) {
      expect({ path, method, security: operation.security }).toEqual({ path, method, security: [] });
    }
  });

  it('serves Swagger UI at /docs and ReDoc at /redoc without a token, from this server only', async () => {
    const server = t.app.getHttpServer();
    const docs = await request(server).get('/docs/').expect(200);
    expect(docs.text).toContain('swagger-ui');
    const redoc = await request(server).get('/redoc').expect(200);
    expect(redoc.text).toContain('<redoc spec-url="/openapi.json">');
    for (const page of [docs, redoc]) {
      // Every script and stylesheet is one this server serves; the policy forbids anything else.
      const sources = [...page.text.matchAll(/<(?:script|link)[^>]+(?:src|href)=['"]([^'"]+)['"]/g)].map((match) => match[1]);
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.filter((source) => /^(https?:)?\/\//.test(source))).toEqual([]);
      expect(page.headers['content-security-policy']).toBe(DOCS_CONTENT_SECURITY_POLICY);
      for (const source of sources) {
        const path = source.startsWith('/') ? source : `/docs/${source.replace(/^\.\//, '')}`;
        await request(server).get(path).expect(200);
      }
    }
    const bundle = await request(server).get('/redoc/redoc.standalone.js').expect(200);
    expect(bundle.headers['content-type']).toMatch(/^text\/javascript/);
    expect(Number(bundle.headers['content-length'])).toBeGreaterThan(500_000);
  });
});
