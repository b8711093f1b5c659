import type { AddressInfo } from 'node:net';
import { createSchedulerClient, SchedulerClient } from '../../../clients/typescript/src';
import { createBusiness } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

/*
 * An operator's edit through clients/typescript, as its README shows it: read, change with the
 * ETag it read, lose to a colleague who changed it first, and look the change up in the audit log.
 */
describe('the TypeScript client: conditional changes and the audit log', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => t.close());

  /** A client of the listening app, as an operator's screen holds one. */
  async function operatorClient(biz: string): Promise<SchedulerClient> {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    return createSchedulerClient({ baseUrl: `http://127.0.0.1:${port}`, token: await token({ roles: ['admin'], biz: [biz] }) });
  }

  it('PATCHes with If-Match, gets 412 on a stale ETag, and finds the change in the audit log', async () => {
    const biz = await createBusiness(t.db);
    const admin = await operatorClient(biz);
    const created = await admin.POST('/v1/admin/locations', { body: { bizEntityId: biz, name: 'Harbour clinic', timezone: 'Europe/London' } });
    const id = created.data!.id;

    const read = await admin.GET('/v1/admin/locations/{id}', { params: { path: { id } } });
    const etag = read.response.headers.get('ETag')!;
    expect(etag).toBe('"1"');

    const mine = await admin.PATCH('/v1/admin/locations/{id}', {
      params: { path: { id }, header: { 'If-Match': etag } },
      body: { policy: { holdTtlSeconds: 900 } },
    });
    expect(mine.response.status).toBe(200);
    expect(mine.response.headers.get('ETag')).toBe('"2"');

    // A colleague who read the same version is refused, and told so by code.
    const theirs = await admin.PATCH('/v1/admin/locations/{id}', {
      params: { path: { id }, header: { 'If-Match': etag } },
      body: { name: 'Harbour clinic (old)' },
    });
    expect(theirs.response.status).toBe(412);
    expect(theirs.error?.code).toBe('PRECONDITION_FAILED');

    const log = await admin.GET('/v1/admin/audit-log', { params: { query: { targetId: id } } });
    expect(log.data!.data.map((entry) => [entry.action, entry.before, entry.after])).toEqual([
      ['POST /v1/admin/locations', null, expect.objectContaining({ name: 'Harbour clinic' })],
      ['PATCH /v1/admin/locations/{id}', { 'policy.holdTtlSeconds': 300 }, { 'policy.holdTtlSeconds': 900 }],
    ]);
  });
});
