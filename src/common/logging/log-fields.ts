import { trace } from '@opentelemetry/api';
import { stdSerializers } from 'pino';

export const REDACTED = '[redacted]';

/**
 * Never written to a log: the values bound to a statement (TypeORM's `parameters` carries a
 * booking's notes, a person's e-mail…), and fields that hold what people typed about themselves.
 */
const SENSITIVE_KEYS = new Set(['parameters', 'notes', 'email', 'cancelReason', 'metadata']);
/** PostgreSQL errors quote row values here ("Key (email)=(…)", "Failing row contains (…)"). */
const DATABASE_ROW_KEYS = new Set(['detail']);
const MAX_DEPTH = 8;

/** A copy of `value` fit for a log line: sensitive members replaced, cycles and depth cut. */
export function redactSensitive(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSensitive(item, depth + 1, seen));
  // pg's DatabaseError, and TypeORM's QueryFailedError that copies its members.
  const fromDatabase = 'severity' in value && 'code' in value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = SENSITIVE_KEYS.has(key) || (fromDatabase && DATABASE_ROW_KEYS.has(key)) ? REDACTED : redactSensitive(child, depth + 1, seen);
  }
  return copy;
}

/** pino's `err` serializer (type, message, stack, own members), redacted. */
export function redactedError(error: unknown): unknown {
  return redactSensitive(error instanceof Error ? stdSerializers.err(error) : error);
}

/** Mixed into every log line: the active trace, when tracing is on (empty otherwise). */
export function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}`.slice(-2) };
}
