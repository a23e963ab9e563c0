import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ALPHABETS, base62, fake } from '../examples.js';

/**
 * The structural checks GitHub builds into its tokens, and generators for valid test tokens.
 *
 * - Classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`): the last 6 characters are the CRC32 of the
 *   random part (the characters between the 4-character prefix and the checksum), in base62 `0-9A-Za-z`,
 *   left-padded with `0`. See github.blog "Behind GitHub's new authentication token formats" (2021).
 * - Fine-grained PATs (`github_pat_<22>_<59>`): characters 78–85 are the first 8 characters of the
 *   RFC 4648 base32 of SHA-256 over the first 77 characters (prefix included). Not documented by GitHub;
 *   reproduced on real revoked tokens, as mongodb/kingfisher#342 does.
 * - Stateless installation tokens (`ghs_<app id>_<JWT>`): a JWT signed by GitHub; we check that header and
 *   payload decode to JSON objects. github/docs `data/reusables/apps/ghs-stateless-token-format.md`.
 */

const CLASSIC_PREFIX_LENGTH = 4;
const CHECKSUM_LENGTH = 6;

function classicChecksum(random: string): string {
  return base62(crc32(random), CHECKSUM_LENGTH);
}

/** True when a classic token (`ghp_…`, 40 or more characters) ends with the CRC32 of its random part. */
export function hasClassicChecksum(token: string): boolean {
  const random = token.slice(CLASSIC_PREFIX_LENGTH, -CHECKSUM_LENGTH);
  if (random.length === 0) return false;
  return classicChecksum(random) === token.slice(-CHECKSUM_LENGTH);
}

/**
 * A classic token with a valid checksum: `prefix` + `randomLength` base62 characters + checksum.
 *
 * @example classicToken('ghp_', 'seed', 30) // 40 characters
 */
export function classicToken(prefix: string, seed: string, randomLength: number): string {
  const random = fake(seed, randomLength, ALPHABETS.alnum);
  return `${prefix}${random}${classicChecksum(random)}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const FINE_GRAINED_SIGNED_LENGTH = 77;
const FINE_GRAINED_CHECK_LENGTH = 8;

/** The first `length` characters of the RFC 4648 base32 encoding of `bytes`. */
function base32Head(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      bits -= 5;
      out += BASE32[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
    if (out.length === length) break;
  }
  return out;
}

function fineGrainedCheck(signed: string): string {
  return base32Head(createHash('sha256').update(signed).digest(), FINE_GRAINED_CHECK_LENGTH);
}

/** True when a 93-character `github_pat_…` token carries the SHA-256/base32 check of its first 77 characters. */
export function hasFineGrainedChecksum(token: string): boolean {
  if (token.length !== FINE_GRAINED_SIGNED_LENGTH + 2 * FINE_GRAINED_CHECK_LENGTH) return false;
  const signed = token.slice(0, FINE_GRAINED_SIGNED_LENGTH);
  const check = token.slice(
    FINE_GRAINED_SIGNED_LENGTH,
    FINE_GRAINED_SIGNED_LENGTH + FINE_GRAINED_CHECK_LENGTH,
  );
  return fineGrainedCheck(signed) === check;
}

/** A fine-grained PAT with a valid check: `github_pat_11…(22)_…(59)`. */
export function fineGrainedToken(seed: string): string {
  const id = `11${fake(`${seed}:id`, 9, ALPHABETS.alnumUpper)}0${fake(`${seed}:id2`, 10, ALPHABETS.alnum)}`;
  const signed = `github_pat_${id}_${fake(`${seed}:body`, 43, ALPHABETS.alnum)}`;
  return `${signed}${fineGrainedCheck(signed)}${fake(`${seed}:tail`, 8, ALPHABETS.alnum)}`;
}

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const STATELESS = /^ghs_[0-9]{1,12}_([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{1,4096})\.[A-Za-z0-9_-]{16,2048}$/;

/**
 * True for `ghs_<app id>_<header>.<payload>.<signature>` whose header is a JSON object naming an `alg` and
 * whose payload is a JSON object.
 */
export function isStatelessInstallationToken(token: string): boolean {
  const match = STATELESS.exec(token);
  if (!match) return false;
  const header = decodeJsonObject(match[1]!);
  const payload = decodeJsonObject(match[2]!);
  return typeof header?.['alg'] === 'string' && header['alg'] !== '' && payload !== undefined;
}

function base64urlJson(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * A stateless installation token of the 2026 shape (`ghs_<app id>_<JWT>`, ~520 characters). The claims
 * are made up: GitHub does not document them and clients must not depend on them.
 */
export function statelessInstallationToken(seed: string): string {
  const appId = fake(`${seed}:app`, 1, '123456789') + fake(`${seed}:app`, 6, '0123456789');
  const header = base64urlJson({
    alg: 'RS256',
    typ: 'JWT',
    kid: fake(`${seed}:kid`, 16, ALPHABETS.hexLower),
  });
  const payload = base64urlJson({
    iss: appId,
    sub: `installation:${fake(`${seed}:inst`, 8, '0123456789')}`,
    iat: 1777300000,
    exp: 1777303600,
    jti: fake(`${seed}:jti`, 22, ALPHABETS.base64url),
  });
  return `ghs_${appId}_${header}.${payload}.${fake(`${seed}:sig`, 342, ALPHABETS.base64url)}`;
}
