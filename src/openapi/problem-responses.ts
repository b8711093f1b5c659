import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { describeErrorCode, ErrorCode } from '../common/errors/error-code';
import { PROBLEM_CONTENT_TYPE } from '../common/errors/problem';

export class FieldErrorDto {
  @ApiProperty({ example: 'timezone' }) field: string;
  @ApiProperty({ example: 'must be an IANA time zone such as Europe/London' }) message: string;
}

/** RFC 9457 problem details with the scheduler's `code` (API.md §Conventions). */
export class ProblemDocumentDto {
  @ApiProperty({ example: 'urn:problem-type:scheduler:validation-failed' }) type: string;
  @ApiProperty({ example: 'The request is not valid.' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'timezone: must be an IANA time zone such as Europe/London' }) detail: string;
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' }) code: ErrorCode;
  @ApiProperty({ type: [FieldErrorDto], required: false }) errors?: FieldErrorDto[];
}

export const problemContent = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocumentDto) } },
};

/** Documents the problem responses a route can give, grouped by status. */
export function ProblemResponses(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = describeErrorCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDocumentDto, FieldErrorDto),
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({ status, description: `Problem: ${group.join(', ')}`, content: problemContent }),
    ),
  );
}
