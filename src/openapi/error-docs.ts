import { describeErrorCode, ErrorCode, ErrorScope, problemType } from '../common/errors/error-code';

const SCOPES: Record<ErrorScope, string> = {
  every: 'any `/v1` operation',
  body: 'any POST, PUT or PATCH',
  admin: 'any admin operation',
  keyed: 'any write sent with an Idempotency-Key',
  keyRequired: 'the public POSTs',
  conditional: 'any admin PATCH',
};

/**
 * docs/errors.md, written from the code table (error-code.ts) by `npm run openapi`; a test fails
 * when the committed file differs.
 */
export function renderErrorsDoc(): string {
  const codes = Object.values(ErrorCode).sort((a, b) => describeErrorCode(a).status - describeErrorCode(b).status);
  const rows = codes.map((code) => {
    const { status, title, when, scope, headers } = describeErrorCode(code);
    const where = scope ? SCOPES[scope] : 'the operations that list it';
    const unsaid = (headers ?? []).filter((header) => !when.includes(header));
    const extra = unsaid.length > 0 ? ` Comes with ${unsaid.map((header) => `\`${header}\``).join(', ')}.` : '';
    return `| ${status} | \`${code}\` | ${title} | ${when}${extra} | ${where} |`;
  });
  return `# Error codes

Every error is an RFC 9457 problem document, \`Content-Type: application/problem+json\`:

\`\`\`json
{
  "type": "${problemType(ErrorCode.SLOT_UNAVAILABLE)}",
  "title": "${describeErrorCode(ErrorCode.SLOT_UNAVAILABLE).title}",
  "status": ${describeErrorCode(ErrorCode.SLOT_UNAVAILABLE).status},
  "detail": "The slot is full.",
  "code": "${ErrorCode.SLOT_UNAVAILABLE}"
}
\`\`\`

Branch on \`code\`, never on \`title\` or \`detail\`: \`code\` is stable, \`title\` is a fixed sentence
per code, \`detail\` says what happened in this request and may change. \`type\` is
\`urn:problem-type:scheduler:\` and the code in kebab-case. \`VALIDATION_FAILED\` adds \`errors\`,
one \`{ "field", "message" }\` per failing field (\`"is required"\` when it is missing); a few
codes add a member of their own, named below. A 5xx body says only \`INTERNAL\` or
\`UNAVAILABLE\`; quote the response's \`X-Request-Id\` when you report one.

The contract lists, on each operation and status, the codes it can answer
([openapi.yaml](openapi.yaml), \`/docs\`). The last column says where a code can come from
besides the operations that list it.

This file is generated from the code (\`npm run openapi\`); do not edit it by hand.

| status | code | title | when | can come from |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

## Retrying

- **Retry with the same request** (and the same \`Idempotency-Key\`): 409
  \`IDEMPOTENCY_KEY_IN_PROGRESS\`, 429 \`RATE_LIMITED\` and 503 \`UNAVAILABLE\`, after the
  \`Retry-After\` seconds; a network failure or a 500, with the same key.
- **Do not retry unchanged**: every other 4xx. A 409 or 422 on a keyed write is recorded:
  sending the same key again replays it (\`Idempotent-Replayed: true\`); change the request and
  use a new key ([idempotency.md](idempotency.md)).
- **401** means the token is missing, malformed, expired or not for this service: get a new
  one. A 503 while the token's signing keys cannot be fetched is not the token's fault.
`;
}
