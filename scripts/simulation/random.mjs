// Seeded randomness for the fairness simulation: every choice comes from here, so a seed
// reproduces a run. mulberry32 is a small, well-known 32-bit generator; streams are split by
// hashing (seed, label) so one user's draws never shift another's.

/** A 32-bit hash of a string (FNV-1a), to derive independent streams from one seed. */
export function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a function returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream for (seed, label). */
export function stream(seed, label) {
  return mulberry32(hash32(`${seed}|${label}`));
}

/** A deterministic UUID (v4 layout) from a stream. */
export function uuidFrom(rng) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rng() * 4)];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * Picks an index of `items` (already sorted earliest first) with probability ∝ exp(−rank/τ):
 * people prefer earlier times, strongly for small τ.
 */
export function pickEarlyBiased(rng, count, tau) {
  const weights = Array.from({ length: count }, (_, rank) => Math.exp(-rank / tau));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng() * total;
  for (let i = 0; i < count; i += 1) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return count - 1;
}
