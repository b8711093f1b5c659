import pino from 'pino';
import { logDestination } from './logging';

const ANSI_COLOURS = /\u001b\[[0-9;]*m/g;

describe('logDestination', () => {
  it('writes one readable line per entry on a terminal, with the context and the request in it', () => {
    const written: string[] = [];
    const logger = pino({ level: 'info' }, logDestination({ isTTY: true, write: (text) => written.push(text) }));
    logger.info({ context: 'RoutesResolver' }, 'Mapped {/v1/locations, GET} route');
    logger.info({ req: { id: 'r-1', method: 'GET', url: '/v1/locations' }, res: { statusCode: 200 }, responseTime: 12 }, 'request completed');
    const lines = written.join('').replace(ANSI_COLOURS, '').trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: \(RoutesResolver\) Mapped \{\/v1\/locations, GET\} route$/),
      expect.stringMatching(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: request completed · GET \/v1\/locations → 200 in 12 ms$/),
    ]);
  });

  it('prints what else an entry carries, such as an error, below its line', () => {
    const written: string[] = [];
    const logger = pino({ level: 'info' }, logDestination({ isTTY: true, write: (text) => written.push(text) }));
    logger.error({ context: 'ProblemFilter', requestId: 'r-2', err: new Error('boom') }, 'Unhandled error');
    const text = written.join('').replace(ANSI_COLOURS, '');
    expect(text).toContain('(ProblemFilter) Unhandled error');
    expect(text).toContain('requestId: "r-2"');
    expect(text).toContain('Error: boom');
  });

  it('leaves JSON lines to a synchronous stdout when the output is not a terminal', () => {
    const written: string[] = [];
    const destination = logDestination({ isTTY: false, write: (text) => written.push(text) });
    expect(destination).toMatchObject({ fd: 1, sync: true });
    expect(written).toEqual([]);
  });
});
