// The load generator for bench/hold.mjs and bench/storm.mjs, run in its own process so its CPU
// is not the app's: autocannon drives booking flows from a plan file and prints one JSON line.
//
// Plan: { base, connections, durationS? | amount?, flow: 'hold' | 'hold-confirm' | 'get', items, cycle? }
// Booking flows take items { token, slotId }; 'get' takes { token, path } and measures each GET.
// Each flow takes the next item, and no item is used twice unless `cycle` is set (then they repeat in turn).
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

const plan = JSON.parse(await readFile(process.argv[2], 'utf8'));
let next = 0;
let flows = 0;
const flowMs = [];
const statuses = {};

function count(step, status) {
  const name = `${step} ${status}`;
  statuses[name] = (statuses[name] ?? 0) + 1;
}

function nextItem() {
  const item = plan.items[plan.cycle ? next % plan.items.length : next];
  next += 1;
  if (!item) throw new Error(`the plan ran out of items after ${plan.items.length} flows`);
  return item;
}

function finished(context) {
  flows += 1;
  if (context.timed) flowMs.push(performance.now() - context.started);
}

const hold = {
  method: 'POST',
  path: '/v1/bookings',
  setupRequest(request, context) {
    const item = nextItem();
    // autocannon builds each connection's first request when it creates the connection, before
    // connecting: those flows count, but their start time is not when they were sent.
    context.timed = next > plan.connections;
    context.started = performance.now();
    context.item = item;
    return {
      ...request,
      headers: { authorization: `Bearer ${item.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ slotId: item.slotId }),
    };
  },
  onResponse(status, body, context) {
    count('hold', status);
    if (status !== 201) return;
    const { id } = JSON.parse(body);
    context.bookingId = id;
    if (plan.flow === 'hold') finished(context);
  },
};

const confirm = {
  method: 'POST',
  // A failed hold restarts the sequence instead of confirming nothing.
  setupRequest(request, context) {
    if (!context.bookingId) return undefined;
    return {
      ...request,
      path: `/v1/bookings/${context.bookingId}/confirm`,
      headers: { authorization: `Bearer ${context.item.token}`, 'idempotency-key': randomUUID() },
    };
  },
  onResponse(status, _body, context) {
    count('confirm', status);
    if (status === 200) finished(context);
  },
};

const get = {
  method: 'GET',
  setupRequest(request, context) {
    const item = nextItem();
    context.timed = next > plan.connections;
    context.started = performance.now();
    return { ...request, path: item.path, headers: { authorization: `Bearer ${item.token}` } };
  },
  onResponse(status, _body, context) {
    count('get', status);
    if (status === 200) finished(context);
  },
};

const REQUESTS = { hold: [hold], 'hold-confirm': [hold, confirm], get: [get] };

const started = performance.now();
const result = await autocannon({
  url: plan.base,
  connections: plan.connections,
  ...(plan.amount ? { amount: plan.amount } : { duration: plan.durationS }),
  requests: REQUESTS[plan.flow],
});
const wallMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ flows, wallMs, flowMs, statuses, errors: result.errors, timeouts: result.timeouts })}\n`,
);
