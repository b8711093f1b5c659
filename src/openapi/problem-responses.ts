import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { BOOKING_STATUSES } from '../bookings/booking-status';
import type { BookingStatus } from '../bookings/booking-status';
import { EXAMPLE } from './examples';

export class FieldErrorDto {
  @ApiProperty({ example: 'timezone', description: 'The field, as a path into the body or the name of the query or path parameter.' })
  field: string;

  @ApiProperty({ example: 'must be an IANA time zone such as Europe/London', description: 'What is wrong with it; "is required" when it is missing.' })
  message: string;
}

/** RFC 9457 problem details with the scheduler's `code`, and the extension members some codes add. */
export class ProblemDocumentDto {
  @ApiProperty({ example: 'urn:problem-type:scheduler:validation-failed', description: '`urn:problem-type:scheduler:` and the code in kebab-case.' })
  type: string;

  @ApiProperty({ example: 'The request is not valid.', description: 'A fixed sentence per code.' })
  title: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400, description: 'The HTTP status, repeated.' })
  status: number;

  @ApiProperty({ example: 'timezone: must be an IANA time zone such as Europe/London', description: 'What happened in this request.' })
  detail: string;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', description: 'Stable identifier to branch on (docs/errors.md lists every one).' })
  code: ErrorCode;

  @ApiProperty({ type: [FieldErrorDto], required: false, description: 'With VALIDATION_FAILED: each field that failed.' })
  errors?: FieldErrorDto[];

  @ApiProperty({ type: [String], format: 'uuid', required: false, example: [EXAMPLE.ruleId], description: 'With RULE_CONFLICT: the rules the window overlaps.' })
  conflictingRuleIds?: string[];

  @ApiProperty({ enum: BOOKING_STATUSES, required: false, example: 'cancelled', description: 'With INVALID_TRANSITION: the status that does not allow it.' })
  bookingStatus?: BookingStatus;

  @ApiProperty({ type: [String], format: 'uuid', required: false, example: [EXAMPLE.otherPersonId], description: 'With NOT_FOUND on a slot generation: the people who do not work at the location.' })
  personIds?: string[];

  @ApiProperty({ type: 'integer', minimum: 1, required: false, example: 2, description: 'With HAS_LIVE_BOOKINGS on a slot resize: the seats its live bookings take.' })
  booked?: number;

  @ApiProperty({ type: 'integer', minimum: 1, required: false, example: 4, description: 'With TOO_MANY_SEATS: the most seats one booking may take there.' })
  maxSeats?: number;
}

/** Where an operation lists the codes it declares until the document is finished (openapi.ts). */
export const PROBLEM_CODES_EXTENSION = 'x-problem-codes';

/**
 * The problem codes a route answers besides those every operation of its kind can give (those
 * come from the code table's scopes). buildOpenApiDocument turns them into responses.
 */
export function ProblemResponses(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiExtraModels(ProblemDocumentDto, FieldErrorDto), ApiExtension(PROBLEM_CODES_EXTENSION, codes));
}
