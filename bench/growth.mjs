// `npm run bench:growth`: does today's traffic slow down as the tables grow? One database,
// grown in place with INSERT … SELECT generate_series — slots of other locations and in the
// past, old bookings with their history, expired offers — to 144k, 1.44M and 5M slots
// (VACUUM ANALYZE before each size). At each size the browse rows (cold and warm, next to the
// http floor) and the hold row (next to its raw-pg floor) are measured as `npm run bench` does.
// Target: req/s at 144k ÷ req/s at 5M ≤ 1.3 for each row; printed as measured, and divided by
// each size's own floor too, which a shared machine's drift between sizes does not move.
import { browseRows } from './browse-rows.mjs';
import { api, createBusiness, machine, seedLocation, startBenchApp, withClient } from './bench-support.mjs';
import { holdRows } from './hold.mjs';

const SIZES = (process.env.BENCH_GROWTH_SIZES ?? '144000,1440000,5000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILLER_LOCATIONS = 200;
const PEOPLE_PER_FILLER_LOCATION = 5;

async function main() {
  const bench = await startBenchApp();
  try {
    const { bizEntityId, admin } = await createBusiness(bench);
    const locationId = await seedLocation(bench, admin, bizEntityId, 50);
    const today = new Date().toISOString().slice(0, 10);
    const last = new Date(Date.now() + 89 * 86_400_000).toISOString().slice(0, 10);
    await api(bench.base, 'POST', '/v1/admin/slot-generations', admin, { locationId, from: today, to: last });
    const personIds = (
      await withClient(bench.databaseUrl, (c) => c.query('SELECT id FROM scheduler.people WHERE location_id = $1 ORDER BY id', [locationId]))
    ).rows.map((row) => row.id);
    await createFiller(bench.databaseUrl);

    const results = [];
    for (const size of SIZES) {
      const slots = await growTo(bench.databaseUrl, size, locationId);
      const browse = await browseRows(bench, { locationId, personIds, runs: RUNS });
      const hold = await holdRows(bench, RUNS);
      results.push({ size, slots, browse, hold });
      console.log(`size ${slots.toLocaleString('en')} slots measured`);
    }

    const first = results[0];
    const table = results.flatMap(({ slots, browse, hold }) => [
      ...browse.slice(1).map((row, i) => ({
        slots,
        row: row.row.split(' (')[0],
        req_per_s: row.req_per_s,
        p99_ms: row.p99_ms,
        ratio_to_floor: row.ratio,
        first_size_over_this: Number((first.browse[i + 1].req_per_s / row.req_per_s).toFixed(2)),
        first_size_over_this_vs_floor: Number((first.browse[i + 1].ratio / row.ratio).toFixed(2)),
      })),
      {
        slots,
        row: 'hold + confirm',
        req_per_s: hold[1].flows_per_s,
        p99_ms: hold[1].p99_ms,
        ratio_to_floor: hold[1].ratio,
        first_size_over_this: Number((first.hold[1].flows_per_s / hold[1].flows_per_s).toFixed(2)),
        first_size_over_this_vs_floor: Number((first.hold[1].ratio / hold[1].ratio).toFixed(2)),
      },
    ]);
    console.log(`growth (one database grown in place; median of ${RUNS} per row; ${machine()})`);
    console.table(table);
    console.log(JSON.stringify({ bench: 'growth', rows: table }));
  } finally {
    await bench.close();
  }
}

/** Locations and people of another business, and users, that the filler rows belong to. */
async function createFiller(databaseUrl) {
  await withClient(databaseUrl, async (c) => {
    await c.query(`INSERT INTO public.biz_entity (id) VALUES ('00000000-0000-4000-8000-00000000f111') ON CONFLICT DO NOTHING`);
    await c.query(
      `INSERT INTO scheduler.locations (biz_entity_id, name, timezone)
       SELECT '00000000-0000-4000-8000-00000000f111', 'Filler ' || n, 'Europe/Berlin' FROM generate_series(1, $1) n`,
      [FILLER_LOCATIONS],
    );
    await c.query(
      `INSERT INTO scheduler.people (biz_entity_id, location_id, name)
       SELECT l.biz_entity_id, l.id, 'Filler ' || n FROM scheduler.locations l, generate_series(1, $1) n
        WHERE l.biz_entity_id = '00000000-0000-4000-8000-00000000f111'`,
      [PEOPLE_PER_FILLER_LOCATION],
    );
    await c.query(`INSERT INTO public.auth_user (id) SELECT gen_random_uuid() FROM generate_series(1, 20000)`);
  });
}

/**
 * Adds slots until the table holds `size`: a tenth in the past of the measured location's own
 * people, the rest for the filler people, half in the past and half ahead; a twentieth of the
 * past ones carry a completed booking with its two events; and one expired offer of five slots
 * per hundred new slots, on the measured location's slots. Returns the slot count.
 */
async function growTo(databaseUrl, size, locationId) {
  return withClient(databaseUrl, async (c) => {
    const [{ n: current }] = (await c.query('SELECT count(*)::int AS n FROM scheduler.slot_instances')).rows;
    const adding = size - current;
    if (adding > 0) {
      await c.query('SET statement_timeout = 0');
      // Each person's new slots follow the latest one it has, 15 minutes apart: no overlaps.
      const fill = async (people, count, direction) => {
        const perPerson = Math.ceil(count / people.count);
        await c.query(
          `INSERT INTO scheduler.slot_instances
             (id, biz_entity_id, location_id, person_id, starts_at, ends_at, buffered_starts_at, buffered_ends_at, local_start, timezone, capacity)
           SELECT gen_random_uuid(), p.biz_entity_id, p.location_id, p.id, t, t + interval '15 minutes', t, t + interval '15 minutes',
                  to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'), 'UTC', 1
             FROM (SELECT p.*, row_number() OVER (ORDER BY p.id) AS k FROM scheduler.people p WHERE ${people.where}) p,
                  LATERAL (SELECT ${direction === 'past' ? 'min' : 'max'}(starts_at) AS edge FROM scheduler.slot_instances s WHERE s.person_id = p.id) e,
                  LATERAL (SELECT coalesce(e.edge, date_trunc('minute', now()) ${direction === 'past' ? "- interval '1 day'" : "+ interval '400 days'"})
                                  ${direction === 'past' ? '-' : '+'} (i * interval '15 minutes') AS t
                             FROM generate_series(1, $1) i) times`,
          [perPerson, ...people.params],
        );
      };
      const own = { where: 'p.location_id = $2', params: [locationId], count: 50 };
      const filler = {
        where: `p.biz_entity_id = '00000000-0000-4000-8000-00000000f111'`,
        params: [],
        count: FILLER_LOCATIONS * PEOPLE_PER_FILLER_LOCATION,
      };
      await fill(own, Math.floor(adding / 10), 'past');
      await fill(filler, Math.floor((adding * 9) / 20), 'past');
      await fill(filler, Math.floor((adding * 9) / 20), 'future');
      await c.query(
        `WITH old AS (
           SELECT s.* FROM scheduler.slot_instances s WHERE s.starts_at < now() - interval '1 day'
              AND NOT EXISTS (SELECT 1 FROM scheduler.bookings b WHERE b.slot_id = s.id)
            ORDER BY s.id LIMIT $1),
         users AS (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS k FROM public.auth_user),
         booked AS (
           INSERT INTO scheduler.bookings (biz_entity_id, location_id, person_id, slot_id, user_id, status, confirmed_at, created_at)
           SELECT o.biz_entity_id, o.location_id, o.person_id, o.id, u.id,
                  'completed', o.starts_at - interval '1 day', o.starts_at - interval '2 days'
             FROM old o JOIN users u ON u.k = abs(hashtext(o.id::text)) % (SELECT count(*) FROM users)
           RETURNING id, biz_entity_id)
         INSERT INTO scheduler.booking_events (booking_id, biz_entity_id, actor_kind, from_status, to_status)
         SELECT id, biz_entity_id, 'user', NULL, 'confirmed' FROM booked
         UNION ALL SELECT id, biz_entity_id, 'admin', 'confirmed', 'completed' FROM booked`,
        [Math.floor(adding / 20)],
      );
      await c.query(
        `WITH users AS (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS k FROM public.auth_user),
         ahead AS (SELECT id, (row_number() OVER (ORDER BY starts_at) - 1)::int AS k FROM scheduler.slot_instances
                    WHERE location_id = $1 AND starts_at > now() ORDER BY starts_at LIMIT 2000),
         offers AS (
           INSERT INTO scheduler.exposures (biz_entity_id, location_id, user_id, scope, scope_id, window_from, window_to, extended, created_at, expires_at)
           SELECT l.biz_entity_id, l.id, u.id, 'location', l.id,
                  now() - interval '1 day', now() + interval '6 days', false, now() - interval '1 day', now() - interval '23 hours'
             FROM scheduler.locations l CROSS JOIN generate_series(1, $2) n JOIN users u ON u.k = n % (SELECT count(*) FROM users)
            WHERE l.id = $1
           RETURNING id, biz_entity_id, user_id, seats, expires_at)
         INSERT INTO scheduler.exposure_slots (exposure_id, user_id, seats, expires_at, position, slot_id, biz_entity_id, score, components)
         SELECT o.id, o.user_id, o.seats, o.expires_at, pos, a.id, o.biz_entity_id, 0, '{}'::jsonb
           FROM (SELECT o.*, row_number() OVER () AS k FROM offers o) o CROSS JOIN generate_series(0, 4) pos
           JOIN ahead a ON a.k = (o.k * 5 + pos) % (SELECT count(*) FROM ahead)`,
        [locationId, Math.floor(adding / 100)],
      );
    }
    for (const table of ['slot_instances', 'bookings', 'booking_events', 'exposures', 'exposure_slots']) {
      await c.query(`VACUUM ANALYZE scheduler.${table}`);
    }
    return (await c.query('SELECT count(*)::int AS n FROM scheduler.slot_instances')).rows[0].n;
  });
}

await main();
