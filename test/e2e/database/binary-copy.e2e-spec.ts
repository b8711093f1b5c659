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
    ];
    for (const value of values) rows.row(5).uuid(value.id).newUuidV7().timestamptz(value.at).text(value.label).int4(value.n);
    await copy(rows);

    const { rows: read } = await client.query<{ id: string; made: string; at: Date; label: string; n: number }>(
      'SELECT id::text, made::text, at, label, n FROM copied ORDER BY at DESC',
    );
    expect(read.map(({ id, at, label, n }) => ({ id, at: at.getTime(), label, n }))).toEqual(values);
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

  it('refuses a value that is not a UUID before anything is sent', () => {
    expect(() => new BinaryCopyWriter().row(1).uuid('not-a-uuid')).toThrow('not a UUID: not-a-uuid');
  });
});
