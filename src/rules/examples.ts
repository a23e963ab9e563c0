/**
 * Deterministic fake credentials for rule examples and test corpora. Keys are generated at run time
 * from a seed so that no whole-looking credential is ever committed to the repository.
 */

export const ALPHABETS = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  alnumLower: 'abcdefghijklmnopqrstuvwxyz0123456789',
  alnumUpper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  hexLower: '0123456789abcdef',
  hexUpper: '0123456789ABCDEF',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
} as const;

function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash || 1;
}

/**
 * `length` characters from `alphabet`, the same every time for the same `seed`.
 *
 * @example fake('openai.project', 74, ALPHABETS.base64url)
 */
export function fake(seed: string, length: number, alphabet: string = ALPHABETS.alnum): string {
  let state = seedOf(`${seed}:${length}`);
  let out = '';
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Unsigned 32-bit integer in base 62, left-padded with `0` to `width` (GitHub/npm token checksums). */
export function base62(value: number, width: number): string {
  let n = value >>> 0;
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}
