import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem';
import { REQUEST_ID_HEADER } from './request-id.middleware';

/**
 * Requests Node's HTTP parser refuses before any middleware runs — headers past the server's
 * limit (16 KiB by default), malformed request lines — get a problem document too, instead of
 * Node's bare status line. Each closes the connection: the parser's state is lost.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
      return;
    }
    const requestId = randomUUID();
    const { status, body } = toProblem(
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new DomainError(ErrorCode.HEADERS_TOO_LARGE, 'The request headers are larger than this server accepts.')
        : new DomainError(ErrorCode.VALIDATION_FAILED, 'The request is not valid HTTP.'),
      requestId,
    );
    const text = JSON.stringify(body);
    socket.end(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
        `Content-Length: ${Buffer.byteLength(text)}`,
        `${REQUEST_ID_HEADER}: ${requestId}`,
        'Connection: close',
        '',
        text,
      ].join('\r\n'),
    );
  });
}
