import pino, { DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** What a log destination needs to know about the stream it writes to. */
export interface LogOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * One readable, coloured line per entry on a terminal (`[10:42:07.311] INFO: (RoutesResolver) …`),
 * JSON lines otherwise. Both are written synchronously, in the order they happen: the start
 * banner (plain console output) follows the startup logs instead of landing among them, and no
 * line is lost when the process exits. A line costs microseconds.
 */
export function logDestination(output: LogOutput = process.stdout): DestinationStream {
  if (!output.isTTY) return pino.destination({ dest: 1, sync: true });
  const prettify = prettyFactory({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    // A request log is one line (its full req/res objects stay in the JSON form); anything else
    // attached to an entry, such as an error and its stack, is printed below it.
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: '{if context}({context}) {end}{msg}{if req.method} · {req.method} {req.url} → {res.statusCode} in {responseTime} ms{end}',
  });
  return { write: (line: string) => void output.write(prettify(line)) };
}
