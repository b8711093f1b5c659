import pino from 'pino';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { REDACTED, redactedError } from '../../../src/common/logging/log-fields';
import { startTestApp, TestApp } from '../../utils/test-app';

/** A logger set up as the app's (its `err` serializer), writing to memory. */
function capturingLogger(): { logger: pino.Logger; lines: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ serializers: { err: redactedError } }, stream), lines: () => chunks.join('') };
}

describe('error logs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function failingQuery(sql: string, parameters: unknown[], setup?: string): Promise<QueryFailedError> {
    const runner = t.db.createQueryRunner();
    try {
      await runner.startTransaction();
      if (setup) await runner.query(setup);
      await runner.query(sql, parameters);
      throw new Error('the query was expected to fail');
    } catch (error) {
      return error as QueryFailedError;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('never carry the values bound to a failed statement', async () => {
    const error = await failingQuery('SELECT length($1::text) / 0 AS boom', ['Notes: allergic to penicillin']);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(JSON.stringify(error)).toContain('penicillin');
    const { logger, lines } = capturingLogger();
    logger.error({ err: error }, 'Unhandled error');
    const line = JSON.parse(lines()) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({ type: 'QueryFailedError', message: 'division by zero', code: '22012', parameters: REDACTED });
    expect(line.err.query).toBe('SELECT length($1::text) / 0 AS boom');
    expect(lines()).not.toContain('penicillin');
  });

  it("never carry the row values PostgreSQL quotes in an error's detail", async () => {
    const error = await failingQuery(
      'INSERT INTO pg_temp.contacts (email) VALUES ($1)',
      ['nour@example.com'],
      'CREATE TEMPORARY TABLE contacts (email text CONSTRAINT never CHECK (false)) ON COMMIT DROP',
    );
    expect(JSON.stringify(error)).toContain('nour@example.com');
    const { logger, lines } = capturingLogger();
    logger.warn({ err: error, requestId: 'r-1' }, 'database refused');
    const line = JSON.parse(lines()) as { err: Record<string, unknown>; requestId: string };
    expect(line.err).toMatchObject({ code: '23514', constraint: 'never', detail: REDACTED, parameters: REDACTED });
    expect(line.requestId).toBe('r-1');
    expect(lines()).not.toContain('nour@example.com');
  });

  it('redact personal fields wherever they sit in a logged error', () => {
    const error = Object.assign(new Error('webhook failed'), { booking: { id: 'b-1', notes: 'private', email: 'a@b.c' } });
    const { logger, lines } = capturingLogger();
    logger.error({ err: error });
    expect(JSON.parse(lines()).err.booking).toEqual({ id: 'b-1', notes: REDACTED, email: REDACTED });
  });
});
