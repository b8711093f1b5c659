import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { bookingFixture, key } from '../../factories/bookings';
import { eventually, ServerProcess } from '../faults/fault-kit';
import { scratchDatabase, startTestApp, TEST_JWT_SECRET, TestApp } from '../../utils/test-app';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number } }[];
}

const SPAN_KIND_SERVER = 2;
const REQUEST_ID = 'trace-test-hold-1';

/** An OTLP/HTTP (JSON) trace receiver on loopback: what a collector would get. */
async function otlpReceiver(): Promise<{ server: Server; url: string; spans: OtlpSpan[] }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
}

const attribute = (span: OtlpSpan, name: string): string | number | undefined => {
  const value = span.attributes.find((a) => a.key === name)?.value;
  return value?.stringValue ?? value?.intValue;
};

/**
 * The built server with the tracing preload, as `npm start` runs it: instrumentation hooks
 * http, express and pg before they load, which jest's module loader would not allow in-process.
 */
describe('tracing (OTEL_EXPORTER_OTLP_ENDPOINT set, preloaded with --require dist/tracing.js)', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await scratchDatabase();
    t = await startTestApp({ DATABASE_URL: database.url });
    receiver = await otlpReceiver();
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await t?.close();
    await database?.drop();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('exports a hold as its HTTP span and its SQL spans, all carrying the request id; its log line carries the trace id', async () => {
    const f = await bookingFixture(t);
    server = await ServerProcess.start(
      {
        DATABASE_URL: database.url,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      { nodeArgs: ['--require', join(__dirname, '..', '..', '..', 'dist', 'tracing.js')] },
    );
    const res = await fetch(`${server.base}/v1/bookings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.user.token}`, 'content-type': 'application/json', 'x-request-id': REQUEST_ID, ...key() },
      body: JSON.stringify({ slotId: f.slotIds[0] }),
    });
    expect(res.status).toBe(201);

    const ofRequest = (): OtlpSpan[] => receiver.spans.filter((span) => attribute(span, 'scheduler.request_id') === REQUEST_ID);
    const isSql = (span: OtlpSpan): boolean => attribute(span, 'db.system') === 'postgresql' || attribute(span, 'db.system.name') === 'postgresql';
    expect(await eventually(async () => ofRequest().some((s) => s.kind === SPAN_KIND_SERVER) && ofRequest().some(isSql), 10_000)).toBe(true);

    const http = ofRequest().find((span) => span.kind === SPAN_KIND_SERVER)!;
    expect(http.name).toBe('POST /v1/bookings');
    expect(attribute(http, 'http.route') ?? attribute(http, 'http.target')).toBe('/v1/bookings');
    const sql = ofRequest().filter(isSql);
    // The hold's transaction: BEGIN with its limits, the slot lock, the insert, COMMIT, and more.
    expect(sql.length).toBeGreaterThanOrEqual(4);
    for (const span of sql) expect(span.traceId).toBe(http.traceId);
    expect(sql.map((span) => String(attribute(span, 'db.statement') ?? attribute(span, 'db.query.text')))).toEqual(
      expect.arrayContaining([expect.stringMatching(/INSERT INTO scheduler\.bookings/), 'COMMIT']),
    );

    const logged = server.output.join('').split('\n').filter((line) => line.includes(`"trace_id":"${http.traceId}"`));
    expect(logged.some((line) => line.includes('"msg":"request completed"'))).toBe(true);
  });
});
