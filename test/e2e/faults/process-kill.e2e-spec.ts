import { BookingFixture, bookingFixture, newUser } from '../../factories/bookings';
import { scratchDatabase, startTestApp, TEST_JWT_SECRET, TestApp } from '../../utils/test-app';
import { eventually, Exchange, HttpCaller, invariantViolations, reportFigures, ServerProcess, sleep } from './fault-kit';

/**
 * Issue "Survive faults": the built server, SIGKILLed in the middle of a burst of keyed holds and
 * confirms, then started again. Every request whose answer was lost is retried with its key:
 * each key ends with one outcome that every later retry replays, and nothing acknowledged is lost.
 */
const FLOWS = 40;

interface Flow {
  user: { id: string; token: string };
  slotId: string;
  holdKey: string;
  confirmKey: string;
  /** The last answer each key got (lost ones are retried until they get one). */
  hold?: Exchange;
  confirm?: Exchange;
}

describe('the server killed (SIGKILL) during a burst, then restarted', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let t: TestApp;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await scratchDatabase();
    // In-process, for fixtures and for reading the rows; the child process takes the burst.
    t = await startTestApp({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await t?.close();
    await database?.drop();
  });

  function start(): Promise<ServerProcess> {
    return ServerProcess.start({ DATABASE_URL: database.url, AUTH_JWT_SECRET: TEST_JWT_SECRET, HOLD_SWEEP_INTERVAL_SECONDS: '1' });
  }

  it('gives every key one consistent outcome and loses nothing acknowledged', async () => {
    const f: BookingFixture = await bookingFixture(t, { slots: 10, capacity: 2, policy: { maxActiveHoldsPerUser: 5 } });
    const flows: Flow[] = await Promise.all(
      Array.from({ length: FLOWS }, async (_, index) => ({
        user: await newUser(t),
        slotId: f.slotIds[index % f.slotIds.length],
        holdKey: `hold-${index}`,
        confirmKey: `confirm-${index}`,
      })),
    );
    const holdOf = (http: HttpCaller, flow: Flow) =>
      http.call('hold', 'POST', '/v1/bookings', { token: flow.user.token, body: { slotId: flow.slotId }, key: flow.holdKey });
    const confirmOf = (http: HttpCaller, flow: Flow) =>
      http.call('confirm', 'POST', `/v1/bookings/${(flow.hold!.body as { id: string }).id}/confirm`, {
        token: flow.user.token,
        key: flow.confirmKey,
      });

    server = await start();
    let http = new HttpCaller(server.base);
    let answered = 0;
    const burst = flows.map(async (flow) => {
      flow.hold = await holdOf(http, flow);
      if (flow.hold.status !== -1) answered += 1;
      if (flow.hold.status === 201) flow.confirm = await confirmOf(http, flow);
    });
    // Killed once part of the burst has been answered: the rest is in flight or not yet sent.
    await eventually(async () => answered >= FLOWS / 4, 20_000, 5);
    server.kill('SIGKILL');
    await server.exited;
    await Promise.all(burst);
    const lostInBurst = flows.filter((flow) => flow.hold?.status === -1 || flow.confirm?.status === -1).length;

    server = await start();
    http = new HttpCaller(server.base);
    const settled = (e?: Exchange): boolean => e !== undefined && e.status !== -1 && e.status !== 503;
    for (const flow of flows) {
      while (!settled(flow.hold)) flow.hold = await holdOf(http, flow);
      if (flow.hold!.status !== 201) continue;
      while (!settled(flow.confirm)) flow.confirm = await confirmOf(http, flow);
    }

    // Every key, sent again, replays the outcome it settled on.
    for (const flow of flows) {
      const again = await holdOf(http, flow);
      expect({ key: flow.holdKey, status: again.status, body: again.body }).toEqual({
        key: flow.holdKey,
        status: flow.hold!.status,
        body: flow.hold!.body,
      });
      if (!flow.confirm) continue;
      const confirmedAgain = await confirmOf(http, flow);
      expect({ key: flow.confirmKey, status: confirmedAgain.status, body: confirmedAgain.body }).toEqual({
        key: flow.confirmKey,
        status: flow.confirm.status,
        body: flow.confirm.body,
      });
    }
    // Acknowledged holds and confirmations are in the rows.
    const rows = (await t.db.query('SELECT id, status FROM scheduler.bookings WHERE location_id = $1', [f.locationId])) as {
      id: string;
      status: string;
    }[];
    const statusOf = new Map(rows.map((row) => [row.id, row.status]));
    for (const flow of flows.filter((candidate) => candidate.hold!.status === 201)) {
      const id = (flow.hold!.body as { id: string }).id;
      expect({ id, status: statusOf.get(id) }).toEqual({ id, status: flow.confirm!.status === 200 ? 'confirmed' : expect.any(String) });
    }
    expect(rows.length).toBe(flows.filter((flow) => flow.hold!.status === 201).length);

    await sleep(2000);
    const violations = await invariantViolations(t.db, { noStaleHolds: true });
    reportFigures('process killed', {
      flows: FLOWS,
      answeredBeforeKill: answered,
      lostInBurst,
      holds: rows.length,
      confirmed: rows.filter((row) => row.status === 'confirmed').length,
      violations: violations.length,
    });
    expect(lostInBurst).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });
});
