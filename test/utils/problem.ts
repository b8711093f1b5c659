import type { Response } from 'supertest';
import { ErrorCode, describeErrorCode, problemType } from '../../src/common/errors/error-code';

export interface FieldError {
  field: string;
  message: string;
}

/** What a test knows of a problem beyond its code: the exact `detail`, the exact field `errors`. */
export interface ProblemDetails {
  detail?: string;
  errors?: FieldError[];
}

/**
 * The one problem assertion (API.md §Errors): the status, type and title the code table gives
 * the code, the problem content type, `WWW-Authenticate: Bearer` exactly on 401, and `detail`
 * (exact when given) — compared as one value, so a failure shows every difference at once.
 */
export function expectProblem(res: Response, code: `${ErrorCode}`, expected: string | ProblemDetails = {}): void {
  const details: ProblemDetails = typeof expected === 'string' ? { detail: expected } : expected;
  const { status, title } = describeErrorCode(code as ErrorCode);
  const body = (res.body ?? {}) as Record<string, unknown>;
  expect({
    status: res.status,
    contentType: res.headers['content-type'],
    wwwAuthenticate: res.headers['www-authenticate'],
    body: { type: body.type, title: body.title, status: body.status, code: body.code, detail: body.detail, errors: body.errors },
  }).toEqual({
    status,
    contentType: 'application/problem+json; charset=utf-8',
    wwwAuthenticate: code === 'UNAUTHENTICATED' ? 'Bearer' : undefined,
    body: {
      type: problemType(code as ErrorCode),
      title,
      status,
      code,
      detail: details.detail ?? expect.stringMatching(/\S/),
      errors: details.errors ?? (code === 'VALIDATION_FAILED' ? expect.any(Array) : undefined),
    },
  });
}

/** The `detail` a 400 carries for these field errors (one names the field; more are counted). */
export function validationDetail(errors: FieldError[]): string {
  return errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} fields are invalid.`;
}

/** 400 VALIDATION_FAILED naming exactly these fields, in this order, with these messages. */
export function expectValidationProblem(res: Response, errors: FieldError[]): void {
  expectProblem(res, 'VALIDATION_FAILED', { detail: validationDetail(errors), errors });
}

/**
 * 400 VALIDATION_FAILED whose `errors` name exactly these fields, in this order (a field may
 * carry more than one message), each with a message, whatever it says, and the detail that
 * goes with them.
 */
export function expectValidationFields(res: Response, fields: string[]): void {
  const errors = expectFieldErrors(res);
  expect({ fields: [...new Set(errors.map((error) => error.field))], body: res.body as unknown }).toEqual({
    fields: [...new Set(fields)],
    body: expect.anything(),
  });
}

/** 400 VALIDATION_FAILED with `field` among its field errors (`*`: some field). */
export function expectValidationFailed(res: Response, field: string): void {
  const fields = expectFieldErrors(res).map((e) => e.field);
  if (field === '*') expect(fields.length).toBeGreaterThan(0);
  else expect(fields).toContain(field);
}

/** A 400 whose every field error has a field and a message, and whose detail goes with them: its errors. */
function expectFieldErrors(res: Response): FieldError[] {
  const errors = ((res.body as { errors?: unknown }).errors ?? []) as FieldError[];
  expectProblem(res, 'VALIDATION_FAILED', { detail: detailOf(errors), errors: expect.any(Array) as unknown as FieldError[] });
  for (const error of errors) expect(error).toEqual({ field: expect.any(String), message: expect.stringMatching(/\S/) });
  return errors;
}

/** A body that is not a JSON object is refused before field validation, with a detail of its own. */
function detailOf(errors: FieldError[]): string | undefined {
  return errors.some((error) => error.field === 'body') ? undefined : validationDetail(errors);
}
