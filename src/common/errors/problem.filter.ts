import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RecordedProblem, sendProblem, sendRecordedProblem, toProblem } from './problem';

/** The one place an exception becomes an HTTP response. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    if (exception instanceof RecordedProblem) {
      if (!res.headersSent) sendRecordedProblem(res, exception);
      return;
    }
    const problem = toProblem(exception, req.id);
    if (problem.unexpected) {
      this.logger.error({ err: exception, requestId: req.id }, 'Unhandled error');
    } else if (problem.status >= 500) {
      this.logger.warn({ code: problem.body.code, requestId: req.id, err: exception }, problem.body.detail);
    }
    if (res.headersSent) return;
    sendProblem(res, problem);
  }
}
