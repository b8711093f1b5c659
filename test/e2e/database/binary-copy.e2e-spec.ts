import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BinaryCopyWriter } from '../../../src/common/database/binary-copy';
import { testDatabaseUrl } from '../../utils/test-app';

/** What generation's binary COPY writes is what PostgreSQL reads back, at the edges of each type. */
describe('rows written for a binary COPY', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query('CREATE TEMP TABLE copied (id uuid, made uuid, at timestamptz, label text, n int)');
  });
  afterAll(() => client.end());

  async function copy(rows: BinaryCopyWriter): Promise<void> {
    await pipeline(Readable.from(rows.end()), client.query(copyFrom('COPY copied FROM STDIN WITH (FORMAT binary)')));
  }

  it('reads back uuids, instants either side of 2000, multi-byte text and signed integers as written', async () => {
    await client.query('TRUNCATE copied');
    const rows = new BinaryCopyWriter();
    const values = [
      { id: '0191e8a4-7c3b-7def-8abc-0123456789ab', at: Date.UTC(2027, 2, 28, 1, 0, 0, 1), label: '2027-03-28T02:00', n: 10_000 },
      { id: 'ffffffff-ffff-4fff-bfff-ffffffffffff', at: Date.UTC(1999, 11, 31, 23, 59, 59, 999), label: 'Zürich — 東京', n: -1 },
      { id: '00000000-0000-4000-8000-000000000000', at: Date.UTC(1970, 0, 1), label: '', n: 0 },
      // Past 2^53 microseconds: exact to the millisecond all the same.
      { id: '0191e8a4-7c3b-7def-8abc-0123456789ac', at: Date.UTC(9999, 11, 31, 23, 59, 59, 999), label: 'late', n: 2_147_483_647 },
      { id: '0191e8a4-7c3b-7def-8abc-0123456789ad', at: Date.parse('1500-06-01T12:00:00.001Z'), label: 'early', n: -2_147_483_648 },
    ];
    for (const value of values) rows.row(5).uuid(value.id).newUuidV7().timestamptz(value.at).text(value.label).int4(value.n);
    await copy(rows);

    // Instants as exact decimal milliseconds: a float would hide a few microseconds off.
    const { rows: read } = await client.query<{ id: string; made: string; at: string; label: string; n: number }>(
      'SELECT id::text, made::text, (extract(epoch FROM at) * 1000)::numeric(20, 3)::text AS at, label, n FROM copied ORDER BY copied.at DESC',
    );
    const expected = [...values].sort((a, b) => b.at - a.at).map((value) => ({ ...value, at: `${value.at}.000` }));
    expect(read.map(({ id, at, label, n }) => ({ id, at, label, n }))).toEqual(expected);
    expect(read.every(({ made }) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(made))).toBe(true);
  });

  it('carries many rows across chunk boundaries, the header in the first chunk only', async () => {
    await client.query('TRUNCATE copied');
    const rows = new BinaryCopyWriter();
    const chunks: Buffer[] = [];
    const base = Date.UTC(2027, 0, 1);
    for (let n = 0; n < 20_000; n += 1) {
      rows.row(5).uuid('0191e8a4-7c3b-7def-8abc-0123456789ab').newUuidV7().timestamptz(base + n * 60_000).text(`row ${n}`).int4(n);
      if (n % 2000 === 1999) chunks.push(...rows.take());
    }
    chunks.push(...rows.end());
    expect(chunks.filter((chunk) => chunk.subarray(0, 6).toString('latin1') === 'PGCOPY')).toHaveLength(1);
    await pipeline(Readable.from(chunks), client.query(copyFrom('COPY copied FROM STDIN WITH (FORMAT binary)')));

    const { rows: summary } = await client.query<{ count: number; distinct_made: number; late: Date; last: string }>(
      `SELECT count(*)::int AS count, count(DISTINCT made)::int AS distinct_made, max(at) AS late,
              (SELECT label FROM copied ORDER BY n DESC LIMIT 1) AS last FROM copied`,
    );
    expect(summary[0]).toEqual({ count: 20_000, distinct_made: 20_000, late: new Date(base + 19_999 * 60_000), last: 'row 19999' });
  });

  it('refuses a value it cannot write exactly before anything is sent', () => {
    const field = () => new BinaryCopyWriter().row(1);
    expect(() => field().uuid('not-a-uuid')).toThrow('not a UUID: not-a-uuid');
    // Hex decoding alone would stop at the first bad character and take the rest.
    expect(() => field().uuid('0191e8a4-7c3b-7def-8abc-0123456789zz')).toThrow('not a UUID');
    expect(() => field().uuid('0191e8a4-7c3b-7def-8abc-0123456789abc')).toThrow('not a UUID');
    expect(() => field().timestamptz(1.5)).toThrow('not whole epoch milliseconds: 1.5');
    expect(() => field().timestamptz(Number.NaN)).toThrow('not whole epoch milliseconds: NaN');
    expect(() => field().int4(1.7)).toThrow('not an integer: 1.7');
    expect(() => field().int4(2 ** 31)).toThrow('out of range');
  });
});
