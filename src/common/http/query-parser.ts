import { parse } from 'node:querystring';

/** Query parameters written `name[key]=value` (OpenAPI's deepObject style): only these. */
const MAP_PARAMETERS = ['metadata'] as const;

const BRACKETED = /^([A-Za-z]+)\[([^[\]]*)\]$/;
/** Keys that reach into prototypes, refused in bodies too: such a pair stays unfolded (an unknown parameter). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The query parser: Express's `simple` one (Node's querystring: `a=1&a=2` is an array, brackets
 * are no syntax), except that `metadata[key]=value` pairs are folded into one `metadata` object
 * of what they name. Every other bracketed name stays as it was sent, so it is refused as an
 * unknown parameter as before; so is a folded `metadata` on a route that has no such filter.
 * A plain `metadata=` next to bracketed pairs, or a pair whose key reaches into prototypes, is
 * left alone: the route refuses it as unknown.
 */
export function parseQuery(text: string): Record<string, unknown> {
  const query: Record<string, unknown> = parse(text);
  const folded = new Map<string, Record<string, unknown>>();
  for (const [name, value] of Object.entries(query)) {
    const match = BRACKETED.exec(name);
    if (!match || !(MAP_PARAMETERS as readonly string[]).includes(match[1]) || Object.hasOwn(query, match[1]) || PROTOTYPE_KEYS.has(match[2])) continue;
    const pairs = folded.get(match[1]) ?? {};
    pairs[match[2]] = value;
    folded.set(match[1], pairs);
    delete query[name];
  }
  for (const [name, pairs] of folded) query[name] = pairs;
  return query;
}
