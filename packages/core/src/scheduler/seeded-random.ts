/**
 * Deterministic randomness: a hash of a seed and named parts, instead of a stateful generator. The same
 * seed and parts always give the same number, whichever worker asks and however often, so tie-breaks and
 * pacing jitter survive restarts and agree across processes. Nothing here reads Math.random.
 */
export function hash32(seed: number, ...parts: readonly (string | number)[]): number {
  // FNV-1a over the parts, then murmur3's finaliser to spread the bits.
  let hash = (0x811c9dc5 ^ (seed | 0)) >>> 0
  for (const part of parts) {
    const text = typeof part === 'number' ? String(part) : part
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i)
      hash = Math.imul(hash, 0x01000193) >>> 0
    }
    hash ^= 0x1f
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b) >>> 0
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0
  hash ^= hash >>> 16
  return hash >>> 0
}

/** A number in [0, 1) determined by the seed and the parts. */
export function unitInterval(seed: number, ...parts: readonly (string | number)[]): number {
  return hash32(seed, ...parts) / 0x1_0000_0000
}
