/** Fields that change with every write and say nothing about it. */
const NOISE_FIELDS = new Set(['updatedAt']);

export interface ChangedFields {
  /** The changed fields before the write; null when it created the resource. */
  before: Record<string, unknown> | null;
  /** The changed fields after it; null when it removed the resource. */
  after: Record<string, unknown> | null;
}

/**
 * The fields a write changed, from the resource before and after it: nested objects by their
 * dotted path (`policy.holdTtlSeconds`), arrays and values whole, a field present on one side
 * only as null on the other. A create lists every field after, a removal every field before.
 */
export function changedFields(before: object | undefined, after: object | undefined): ChangedFields {
  const old = before ? flatten(before) : undefined;
  const now = after ? flatten(after) : undefined;
  if (!old || !now) return { before: old ?? null, after: now ?? null };
  const changed = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter(
    (field) => JSON.stringify(old[field] ?? null) !== JSON.stringify(now[field] ?? null),
  );
  return {
    before: Object.fromEntries(changed.map((field) => [field, old[field] ?? null])),
    after: Object.fromEntries(changed.map((field) => [field, now[field] ?? null])),
  };
}

function flatten(value: object, prefix = ''): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const path = `${prefix}${key}`;
    if (child === undefined || (!prefix && NOISE_FIELDS.has(key))) continue;
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) Object.assign(fields, flatten(child, `${path}.`));
    else fields[path] = child;
  }
  return fields;
}
