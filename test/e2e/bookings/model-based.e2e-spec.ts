import fc from 'fast-check';
import type { Response } from 'supertest';
import { bookingFixture, key, newUser } from '../../factories/bookings';
import { HoldSweeperJob } from '../../../src/bookings/hold-sweeper.job';
import { createBusiness } from '../../factories/factories';
import { startIsolatedTestApp, TestApp, token } from '../../utils/test-app';
import {
  applyExpire,
  applySuccess,
  BookingModel,
  Expected,
  isLive,
  liveHoldsOf,
  liveOnSlot,
  ModelBooking,
  predictCancel,
  predictConfirm,
  predictHold,
  predictReschedule,
} from './booking-model';

/**
 * Model-based test of the booking state machine over the real HTTP API (DOMAIN.md §Booking
 * states): random sequences of holds, confirmations, cancellations, reschedules, TTL expiries
 * and sweeps, each checked against an in-memory model (./booking-model) for the exact status
 * and problem code, and followed by a check of the database: for every slot, confirmed + live
 * holds <= capacity, and every booking's effective status as the model has it.
 *
 * A hand-written tour through every outcome runs first; then random runs (random seed unless
 * set). Reproduce a failure with the seed and path fast-check prints:
 *   BOOKING_MODEL_SEED=<seed> BOOKING_MODEL_PATH=<path> npx jest test/e2e/bookings/model-based
 * BOOKING_MODEL_SEED alone fixes the whole sequence of runs; BOOKING_MODEL_RUNS overrides their
 * number (default 30); BOOKING_MODEL_STATS=1 prints how often each outcome came up.
 */

const SLOTS = 3;
const USERS = 3;
const MAX_HOLDS = 2;
/**
 * Far longer than a run: a TTL passes only when the `expire` command says so (by moving
 * hold_expires_at into the past), never by the wall clock, so every prediction is exact.
 */
const HOLD_TTL_SECONDS = 3600;

interface Real {
  t: TestApp;
  admin: string;
  /** An operator of another business: every booking of the fixture is 404 to it. */
  foreignAdmin: string;
  locationId: string;
  slotIds: string[];
  users: { id: string; token: string }[];
}

type Command = fc.AsyncCommand<BookingModel, Real>;

function describeOutcome(e: Expected): string {
  return e.code ? `${e.status} ${e.code}` : String(e.status);
}

/** How often each predicted outcome came up, by command and deciding rule. */
const seen = new Map<string, number>();

function expectOutcome(res: Response, expected: Expected, what: string): void {
  const outcome = `${what.split('(')[0]} ${describeOutcome(expected)}${expected.why ? ` (${expected.why})` : ''}`;
  seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
  const actual: Expected = res.status >= 400 ? { status: res.status, code: (res.body as { code?: string }).code } : { status: res.status };
  if (actual.status !== expected.status || actual.code !== expected.code) {
    throw new Error(`${what}: the model expects ${describeOutcome(expected)}, the API answered ${describeOutcome(actual)}: ${res.text}`);
  }
}

interface SlotCounts {
  id: string;
  capacity: number;
  confirmed: number;
  liveHolds: number;
}

/**
 * After every command, from the database: the capacity invariant on every slot, the counts
 * per slot and the live holds per user as the model has them, and every booking's effective
 * status (restated here from DOMAIN.md, not taken from src) — then the owner's GET of the
 * booking the command touched. The API's own list is compared at the end of each run.
 */
async function verify(m: BookingModel, r: Real, touched?: ModelBooking): Promise<void> {
  const slots = (await r.t.db.query(
    `SELECT s.id, s.capacity,
            count(b.id) FILTER (WHERE b.status = 'confirmed')::int AS confirmed,
            count(b.id) FILTER (WHERE b.status = 'held' AND b.hold_expires_at > now())::int AS "liveHolds"
       FROM scheduler.slot_instances s
       LEFT JOIN scheduler.bookings b ON b.slot_id = s.id
      WHERE s.id = ANY($1::uuid[])
      GROUP BY s.id, s.capacity`,
    [r.slotIds],
  )) as SlotCounts[];
  expect(slots).toHaveLength(SLOTS);
  for (const slot of slots) {
    if (slot.confirmed + slot.liveHolds > slot.capacity) {
      throw new Error(
        `capacity invariant broken on slot s${r.slotIds.indexOf(slot.id)}: ` +
          `${slot.confirmed} confirmed + ${slot.liveHolds} live holds > capacity ${slot.capacity}`,
      );
    }
  }
  const bySlot = (counts: (i: number) => { capacity: number; confirmed: number; liveHolds: number }) =>
    Object.fromEntries(r.slotIds.map((_, i) => [`s${i}`, counts(i)]));
  expect(
    bySlot((i) => {
      const { capacity, confirmed, liveHolds } = slots.find((s) => s.id === r.slotIds[i])!;
      return { capacity, confirmed, liveHolds };
    }),
  ).toEqual(
    bySlot((i) => {
      const live = liveOnSlot(m, i);
      const confirmed = live.filter((b) => b.status === 'confirmed').length;
      return { capacity: m.capacities[i], confirmed, liveHolds: live.length - confirmed };
    }),
  );

  const rows = (await r.t.db.query(
    `SELECT id, slot_id AS "slotId", user_id AS "userId",
            CASE WHEN status = 'held' AND hold_expires_at <= now() THEN 'expired' ELSE status END AS status,
            status = 'held' AND hold_expires_at > now() AS "liveHold"
       FROM scheduler.bookings WHERE location_id = $1`,
    [r.locationId],
  )) as { id: string; slotId: string; userId: string; status: string; liveHold: boolean }[];
  const holdsOf = (i: number) => rows.filter((row) => row.liveHold && row.userId === r.users[i].id).length;
  for (const [i] of r.users.entries()) expect(holdsOf(i)).toBeLessThanOrEqual(MAX_HOLDS);
  expect(r.users.map((_, i) => holdsOf(i))).toEqual(r.users.map((_, i) => liveHoldsOf(m, i)));
  expect(asShown(rows)).toEqual(asModelled(m, r));

  if (touched) await expectOwnerSees(r, touched);
}

type Shown = { id: string; status: string; slotId: string; userId: string };

function asShown(bookings: readonly Shown[]): Record<string, Omit<Shown, 'id'>> {
  return Object.fromEntries(bookings.map((b) => [b.id, { status: b.status, slotId: b.slotId, userId: b.userId }]));
}

function asModelled(m: BookingModel, r: Real): Record<string, Omit<Shown, 'id'>> {
  return Object.fromEntries(m.bookings.map((b) => [b.id, { status: b.status, slotId: r.slotIds[b.slot], userId: r.users[b.owner].id }]));
}

/** At the end of a run: the admin list and every booking's own GET, as the model has them. */
async function verifyThroughApi(m: BookingModel, r: Real): Promise<void> {
  const list = await r.t.api.get(`/v1/admin/bookings?locationId=${r.locationId}&limit=200`, { token: r.admin });
  expect(list.status).toBe(200);
  expect(list.body.nextCursor).toBeNull();
  expect(asShown(list.body.data as Shown[])).toEqual(asModelled(m, r));
  for (const b of m.bookings) await expectOwnerSees(r, b);
}

async function expectOwnerSees(r: Real, b: ModelBooking): Promise<void> {
  const res = await r.t.api.get(`/v1/bookings/${b.id}`, { token: r.users[b.owner].token });
  expect(res.status).toBe(200);
  expect({ status: res.body.status, slotId: res.body.slotId }).toEqual({ status: b.status, slotId: r.slotIds[b.slot] });
}

/**
 * Which booking a command acts on, chosen when it runs: the `n`th (modulo) of the live ones
 * when asked and there are any — dead bookings pile up and would otherwise crowd out the
 * interesting moves — else of all of them.
 */
interface BookingPick {
  n: number;
  live: boolean;
}

abstract class OnBooking implements Command {
  /** Which booking the pick resolved to in the last run, for the failure report. */
  protected label?: string;

  constructor(readonly pick: BookingPick) {}

  check(m: Readonly<BookingModel>): boolean {
    return this.candidates(m).length > 0;
  }

  protected candidates(m: Readonly<BookingModel>): ModelBooking[] {
    const live = m.bookings.filter(isLive);
    return this.pick.live && live.length > 0 ? live : m.bookings;
  }

  protected resolve(m: BookingModel): ModelBooking {
    const all = this.candidates(m);
    const b = all[this.pick.n % all.length];
    this.label = `b${m.bookings.indexOf(b)}`;
    return b;
  }

  protected get target(): string {
    return this.label ?? `${this.pick.live ? 'live' : 'any'}#${this.pick.n}`;
  }

  abstract run(m: BookingModel, r: Real): Promise<void>;
  abstract toString(): string;
}

class Hold implements Command {
  constructor(
    readonly user: number,
    readonly slot: number,
  ) {}

  check(): boolean {
    return true;
  }

  async run(m: BookingModel, r: Real): Promise<void> {
    const expected = predictHold(m, this.user, this.slot);
    const res = await r.t.api.post('/v1/bookings', {
      token: r.users[this.user].token,
      body: { slotId: r.slotIds[this.slot] },
      headers: key(),
    });
    expectOutcome(res, expected, this.toString());
    let created: ModelBooking | undefined;
    if (res.status === 201) {
      expect(res.body).toMatchObject({ status: 'held', slotId: r.slotIds[this.slot], userId: r.users[this.user].id });
      applySuccess(m, { kind: 'hold', id: res.body.id, user: this.user, slot: this.slot });
      created = m.bookings[m.bookings.length - 1];
    }
    await verify(m, r, created);
  }

  toString(): string {
    return `hold(u${this.user}, s${this.slot})`;
  }
}

/** `actor` undefined: the owner; else that user, who sees someone else's booking as missing. */
class Confirm extends OnBooking {
  constructor(
    pick: BookingPick,
    readonly actor: number | undefined,
  ) {
    super(pick);
  }

  async run(m: BookingModel, r: Real): Promise<void> {
    const b = this.resolve(m);
    const actor = this.actor ?? b.owner;
    const expected = predictConfirm(actor, b);
    const res = await r.t.api.post(`/v1/bookings/${b.id}/confirm`, { token: r.users[actor].token, headers: key() });
    expectOutcome(res, expected, this.toString());
    if (res.status === 200) {
      expect(res.body).toMatchObject({ id: b.id, status: 'confirmed', confirmedAt: expect.any(String) });
      applySuccess(m, { kind: 'confirm', b });
    }
    if (actor !== b.owner) {
      expect((await r.t.api.get(`/v1/bookings/${b.id}`, { token: r.users[actor].token })).status).toBe(404);
    }
    await verify(m, r, b);
  }

  toString(): string {
    return `confirm(${this.target}${this.actor === undefined ? '' : ` as u${this.actor}`})`;
  }
}

class Cancel extends OnBooking {
  constructor(
    pick: BookingPick,
    readonly actor: number | undefined,
  ) {
    super(pick);
  }

  async run(m: BookingModel, r: Real): Promise<void> {
    const b = this.resolve(m);
    const actor = this.actor ?? b.owner;
    const expected = predictCancel({ user: actor }, b);
    const res = await r.t.api.post(`/v1/bookings/${b.id}/cancel`, { token: r.users[actor].token, body: { reason: 'model' }, headers: key() });
    expectOutcome(res, expected, this.toString());
    if (res.status === 200) {
      expect(res.body).toMatchObject({ id: b.id, status: 'cancelled', cancelReason: 'model' });
      applySuccess(m, { kind: 'cancel', b });
    }
    await verify(m, r, b);
  }

  toString(): string {
    return `cancel(${this.target}${this.actor === undefined ? '' : ` as u${this.actor}`})`;
  }
}

class AdminCancel extends OnBooking {
  constructor(
    pick: BookingPick,
    readonly foreign: boolean,
  ) {
    super(pick);
  }

  async run(m: BookingModel, r: Real): Promise<void> {
    const b = this.resolve(m);
    const expected = predictCancel({ admin: this.foreign ? 'foreign' : 'own' }, b);
    const res = await r.t.api.post(`/v1/admin/bookings/${b.id}/cancel`, {
      token: this.foreign ? r.foreignAdmin : r.admin,
      body: {},
      headers: key(),
    });
    expectOutcome(res, expected, this.toString());
    if (res.status === 200) {
      expect(res.body).toMatchObject({ id: b.id, status: 'cancelled' });
      applySuccess(m, { kind: 'cancel', b });
    }
    await verify(m, r, b);
  }

  toString(): string {
    return `adminCancel(${this.target}${this.foreign ? ' as foreign admin' : ''})`;
  }
}

class Reschedule extends OnBooking {
  constructor(
    pick: BookingPick,
    readonly slot: number,
    readonly foreign: boolean,
  ) {
    super(pick);
  }

  async run(m: BookingModel, r: Real): Promise<void> {
    const b = this.resolve(m);
    const expected = predictReschedule(m, this.foreign ? 'foreign' : 'own', b, this.slot);
    const before = b.status;
    const res = await r.t.api.post(`/v1/admin/bookings/${b.id}/reschedule`, {
      token: this.foreign ? r.foreignAdmin : r.admin,
      body: { slotId: r.slotIds[this.slot] },
      headers: key(),
    });
    expectOutcome(res, expected, this.toString());
    if (res.status === 200) {
      expect(res.body).toMatchObject({ id: b.id, status: before, slotId: r.slotIds[this.slot] });
      applySuccess(m, { kind: 'reschedule', b, slot: this.slot });
    }
    await verify(m, r, b);
  }

  toString(): string {
    return `reschedule(${this.target} → s${this.slot}${this.foreign ? ' as foreign admin' : ''})`;
  }
}

/**
 * A live booking's hold TTL passes, deterministically: its expiry moves into the past. A hold
 * then reads expired at once (no sweeper); a confirmed booking must not change at all.
 */
class Expire extends OnBooking {
  protected override candidates(m: Readonly<BookingModel>): ModelBooking[] {
    return m.bookings.filter(isLive);
  }

  override toString(): string {
    return `expire(${this.label ?? `live#${this.pick.n}`})`;
  }

  async run(m: BookingModel, r: Real): Promise<void> {
    const b = this.resolve(m);
    await r.t.db.query(`UPDATE scheduler.bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [b.id]);
    applyExpire(b);
    await verify(m, r, b);
  }

}

/** The sweeper writes `expired` on every hold past its TTL; nothing a client sees changes. */
class Sweep implements Command {
  check(): boolean {
    return true;
  }

  async run(m: BookingModel, r: Real): Promise<void> {
    await r.t.app.get(HoldSweeperJob).run();
    const stale = (await r.t.db.query(
      `SELECT id FROM scheduler.bookings WHERE location_id = $1 AND status = 'held' AND hold_expires_at <= now()`,
      [r.locationId],
    )) as { id: string }[];
    expect(stale).toEqual([]);
    const expired = m.bookings.filter((b) => b.status === 'expired').map((b) => b.id);
    const rows = (await r.t.db.query(`SELECT id, status FROM scheduler.bookings WHERE id = ANY($1::uuid[])`, [expired])) as {
      status: string;
    }[];
    expect(rows.map((row) => row.status)).toEqual(expired.map(() => 'expired'));
    await verify(m, r);
  }

  toString(): string {
    return 'sweep()';
  }
}

const user = fc.integer({ min: 0, max: USERS - 1 });
const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const pick = fc.record({
  n: fc.nat({ max: 1000 }),
  live: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});
/** Mostly the owner; sometimes any user (possibly the owner too). */
const actor = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: user });
const foreign = fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

/** Holds lean on one user, so the hold limit is reached often. */
const holder = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) });
const hold = fc.tuple(holder, slot).map(([u, s]): Command => new Hold(u, s));
const confirm = fc.tuple(pick, actor).map(([p, a]): Command => new Confirm(p, a));
/** Each entry is equally likely, so repeats weigh the mix towards holds, confirms and moves. */
const commands = fc.commands(
  [
    hold,
    hold,
    hold,
    confirm,
    confirm,
    fc.tuple(pick, actor).map(([p, a]): Command => new Cancel(p, a)),
    fc.tuple(pick, foreign).map(([p, f]): Command => new AdminCancel(p, f)),
    fc.tuple(pick, slot, foreign).map(([p, s, f]): Command => new Reschedule(p, s, f)),
    fc.tuple(pick, slot, foreign).map(([p, s, f]): Command => new Reschedule(p, s, f)),
    pick.map((p): Command => new Expire(p)),
    fc.constant<Command>(new Sweep()),
  ],
  { maxCommands: 25, size: 'medium' },
);

/**
 * A hand-written sequence, run before the random ones, that reaches every outcome the model
 * knows (capacities 1, 2, 1), so the coverage check below cannot fail by chance. Comments give
 * what the model predicts; the test checks the API agrees.
 */
const at = (n: number): BookingPick => ({ n, live: false });
const tour: [number[], Command[]] = [
  [1, 2, 1],
  [
    new Hold(0, 0), // 201 b0
    new Hold(0, 0), // 409 already live on the slot
    new Hold(1, 0), // 409 slot full
    new Hold(0, 1), // 201 b1
    new Hold(0, 2), // 429 hold limit (b0, b1 held)
    new Confirm(at(0), 1), // 404 another user's
    new Confirm(at(0), undefined), // 200 b0 confirmed
    new Confirm(at(0), undefined), // 409 INVALID_TRANSITION from confirmed
    new Hold(1, 1), // 201 b2: s1 now full
    new Reschedule(at(0), 0, false), // 409 same slot
    new Reschedule(at(0), 1, false), // 409 u0 already live on s1 (b1)
    new Reschedule(at(2), 0, false), // 409 s0 full (b0)
    new Reschedule(at(0), 2, false), // 200 moves confirmed b0 to s2
    new Reschedule(at(1), 0, false), // 200 moves held b1 to s0
    new Reschedule(at(1), 1, true), // 404 foreign admin
    new Expire(at(0)), // b0, confirmed: its TTL passing changes nothing
    new Expire(at(1)), // b1 (second live booking) expires
    new Confirm(at(1), undefined), // 409 HOLD_EXPIRED
    new Cancel(at(1), undefined), // 409 INVALID_TRANSITION from expired
    new AdminCancel(at(1), false), // 409 INVALID_TRANSITION from expired
    new Reschedule(at(1), 2, false), // 409 INVALID_TRANSITION from expired
    new Cancel(at(2), 0), // 404 another user's
    new Cancel(at(2), undefined), // 200 from held
    new Cancel(at(2), undefined), // 409 INVALID_TRANSITION from cancelled
    new Confirm(at(2), undefined), // 409 INVALID_TRANSITION from cancelled
    new AdminCancel(at(2), false), // 409 INVALID_TRANSITION from cancelled
    new Reschedule(at(2), 0, false), // 409 INVALID_TRANSITION from cancelled
    new AdminCancel(at(0), true), // 404 foreign admin
    new Cancel(at(0), undefined), // 200 from confirmed
    new Hold(2, 2), // 201 b3
    new AdminCancel(at(3), false), // 200 from held
    new Hold(2, 2), // 201 b4
    new Confirm(at(4), undefined), // 200
    new AdminCancel(at(4), false), // 200 from confirmed
    new Hold(0, 0), // 201 b5: u0's stale b1 on s0 neither counts nor blocks
    new Expire(at(0)), // b5, the only live booking, expires
    new Sweep(), // b5 written expired
  ],
];

/** Every outcome the model can predict for the commands above, by deciding rule. */
const EVERY_OUTCOME = [
  'hold 201',
  'hold 409 SLOT_UNAVAILABLE (already live on the slot)',
  'hold 409 SLOT_UNAVAILABLE (slot full)',
  'hold 429 HOLD_LIMIT_REACHED (hold limit)',
  'confirm 200',
  'confirm 404 NOT_FOUND (not visible)',
  'confirm 409 HOLD_EXPIRED (expired)',
  'confirm 409 INVALID_TRANSITION (from cancelled)',
  'confirm 409 INVALID_TRANSITION (from confirmed)',
  'cancel 200 (from held)',
  'cancel 200 (from confirmed)',
  'cancel 404 NOT_FOUND (not visible)',
  'cancel 409 INVALID_TRANSITION (from cancelled)',
  'cancel 409 INVALID_TRANSITION (from expired)',
  'adminCancel 200 (from held)',
  'adminCancel 200 (from confirmed)',
  'adminCancel 404 NOT_FOUND (not visible)',
  'adminCancel 409 INVALID_TRANSITION (from cancelled)',
  'adminCancel 409 INVALID_TRANSITION (from expired)',
  'reschedule 200 (moves held)',
  'reschedule 200 (moves confirmed)',
  'reschedule 404 NOT_FOUND (not visible)',
  'reschedule 409 INVALID_TRANSITION (from cancelled)',
  'reschedule 409 INVALID_TRANSITION (from expired)',
  'reschedule 409 SLOT_UNAVAILABLE (same slot)',
  'reschedule 409 SLOT_UNAVAILABLE (already live on the slot)',
  'reschedule 409 SLOT_UNAVAILABLE (slot full)',
];

const replaying = (): boolean => Boolean(process.env.BOOKING_MODEL_SEED && process.env.BOOKING_MODEL_PATH);

function runParameters(): fc.Parameters<[number[], Iterable<Command>]> {
  const seed = process.env.BOOKING_MODEL_SEED;
  const path = process.env.BOOKING_MODEL_PATH;
  return {
    numRuns: Number(process.env.BOOKING_MODEL_RUNS ?? 30),
    examples: [tour],
    ...(seed ? { seed: Number(seed) } : {}),
    ...(replaying() ? { path } : {}),
    // Shrinking re-runs whole sequences; report what it has by then rather than time out.
    interruptAfterTimeLimit: 150_000,
  };
}

describe('bookings: model-based', () => {
  let t: TestApp;
  let foreignAdmin: string;

  beforeAll(async () => {
    // Its own database: the sweeper command sweeps every row, so parallel files stay untouched.
    // The background sweep is held off, so an explicit run is never skipped as "already running".
    t = await startIsolatedTestApp({ HOLD_SWEEP_INTERVAL_SECONDS: '3600' });
    foreignAdmin = await token({ roles: ['admin'], biz: [await createBusiness(t.db)] });
  });
  afterAll(async () => {
    if (process.env.BOOKING_MODEL_STATS) {
      console.log([...seen.entries()].sort().map(([outcome, n]) => `${outcome}: ${n}`).join('\n'));
    }
    await t?.close();
  });

  async function setUp(capacities: number[]): Promise<Real> {
    const f = await bookingFixture(t, {
      slots: SLOTS,
      capacity: 1,
      policy: { holdTtlSeconds: HOLD_TTL_SECONDS, maxActiveHoldsPerUser: MAX_HOLDS, requireExposure: false },
    });
    for (const [i, capacity] of capacities.entries()) {
      await t.db.query('UPDATE scheduler.slot_instances SET capacity = $2 WHERE id = $1', [f.slotIds[i], capacity]);
    }
    const users = [f.user];
    while (users.length < USERS) users.push(await newUser(t));
    return { t, admin: f.admin, foreignAdmin, locationId: f.locationId, slotIds: f.slotIds, users };
  }

  it('holds, confirms, cancels, moves and expires bookings exactly as the model predicts, never over capacity', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 2 }), { minLength: SLOTS, maxLength: SLOTS }),
        commands,
        async (capacities, cmds) => {
          const real = await setUp(capacities);
          const model: BookingModel = { capacities, maxActiveHoldsPerUser: MAX_HOLDS, bookings: [] };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          await verifyThroughApi(model, real);
          expect(model.bookings.filter(isLive).length).toBeLessThanOrEqual(capacities.reduce((a, c) => a + c, 0));
        },
      ),
      runParameters(),
    );
    // The model is not vacuous: every outcome it knows was predicted and matched at least once.
    if (!replaying()) expect(EVERY_OUTCOME.filter((outcome) => !seen.has(outcome))).toEqual([]);
    expect([...seen.keys()].filter((outcome) => !EVERY_OUTCOME.includes(outcome))).toEqual([]);
  }, 180_000);
});
