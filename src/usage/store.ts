import type { Queryable } from '../inventory/database.js';
import type { KeyIdentity, UsageBucket } from '../providers/types.js';
import { TERMINAL_STATES } from '../remediation/lifecycle.js';
import type { HourlyUsage } from './baseline.js';

/**
 * The usage tables (migration 006): which provider key is behind a leaked credential, hourly use per
 * key, and when each provider was last fetched. Every write is one `INSERT … ON CONFLICT` statement, safe
 * from any number of processes at once. Nothing here ever holds a key: only the provider's key id.
 */

const HOUR_MS = 3_600_000;

/** Rows per upsert statement (two arrays of this length per column fit easily in one message). */
const CHUNK = 1_000;

/**
 * Records that `credentialId` is the provider key `identity.keyId` (learned when an adapter's
 * `identify()` or `revoke()` matched it with the admin API), so the usage check watches that key.
 * Idempotent: calling it again changes nothing but a missing scope; a key id seen under another
 * credential moves to this one (the latest match wins). Resolves to whether the mapping is new.
 *
 * @example
 * const identity = await adapter.identify?.(secret, ruleId, ctx);
 * if (identity) await saveProviderKey(db, credentialId, adapter.provider, identity);
 */
export async function saveProviderKey(
  db: Queryable,
  credentialId: number,
  provider: string,
  identity: KeyIdentity,
): Promise<boolean> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `INSERT INTO provider_keys (credential_id, provider, key_id, scope)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (provider, key_id) DO UPDATE
       SET credential_id = EXCLUDED.credential_id,
           scope = COALESCE(EXCLUDED.scope, provider_keys.scope)
     RETURNING (xmax = 0) AS inserted`,
    [credentialId, provider, identity.keyId, identity.scope ?? null],
  );
  return rows[0]?.inserted === true;
}

/**
 * Upserts hourly buckets of `provider` (a re-read hour replaces what was stored). Buckets of the same key
 * and hour are summed first (a provider may split an hour, e.g. per model); buckets with an hour that is
 * not a whole UTC hour or with negative or non-finite counts are dropped. Resolves to the rows written.
 */
export async function saveUsage(
  db: Queryable,
  provider: string,
  buckets: readonly UsageBucket[],
): Promise<number> {
  const merged = new Map<string, { keyId: string; hour: number; requests: number; tokens: number }>();
  for (const bucket of buckets) {
    if (!isValidBucket(bucket)) continue;
    const hour = bucket.hour.getTime();
    const key = `${bucket.keyId}\u0000${hour}`;
    const entry = merged.get(key);
    if (entry) {
      entry.requests += bucket.requests;
      entry.tokens += bucket.tokens;
    } else {
      merged.set(key, { keyId: bucket.keyId, hour, requests: bucket.requests, tokens: bucket.tokens });
    }
  }
  const rows = [...merged.values()];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await db.query(
      `INSERT INTO usage_hours (provider, key_id, hour, requests, tokens)
       SELECT $1, k, h, r, t
         FROM unnest($2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[]) AS u(k, h, r, t)
       ON CONFLICT (provider, key_id, hour) DO UPDATE
         SET requests = EXCLUDED.requests, tokens = EXCLUDED.tokens`,
      [
        provider,
        chunk.map((row) => row.keyId),
        chunk.map((row) => new Date(row.hour).toISOString()),
        chunk.map((row) => row.requests),
        chunk.map((row) => row.tokens),
      ],
    );
  }
  return rows.length;
}

function isValidBucket(bucket: UsageBucket): boolean {
  const hour = bucket.hour instanceof Date ? bucket.hour.getTime() : Number.NaN;
  return (
    typeof bucket.keyId === 'string' &&
    bucket.keyId.length > 0 &&
    bucket.keyId.length <= 200 &&
    Number.isFinite(hour) &&
    hour % HOUR_MS === 0 &&
    Number.isSafeInteger(bucket.requests) &&
    bucket.requests >= 0 &&
    Number.isSafeInteger(bucket.tokens) &&
    bucket.tokens >= 0
  );
}

/** When `provider`'s usage was last fetched (`undefined`: never). */
export async function usageFetchedAt(db: Queryable, provider: string): Promise<Date | undefined> {
  const { rows } = await db.query<{ fetched_at: Date | string }>(
    'SELECT fetched_at FROM usage_fetches WHERE provider = $1',
    [provider],
  );
  return rows[0] ? new Date(rows[0].fetched_at) : undefined;
}

/** Records a successful fetch of `provider`'s usage at `at` (never moves backwards). */
export async function markUsageFetched(db: Queryable, provider: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO usage_fetches (provider, fetched_at) VALUES ($1, $2)
     ON CONFLICT (provider) DO UPDATE SET fetched_at = GREATEST(usage_fetches.fetched_at, EXCLUDED.fetched_at)`,
    [provider, at.toISOString()],
  );
}

/** A provider key behind a credential that is still being remediated. */
export interface WatchedKey {
  keyId: string;
  credentialId: number;
  /** The start of the last hour tested (`undefined`: never tested). */
  checkedThrough?: Date;
}

/**
 * The keys of `provider` mapped to a credential whose lifecycle has not ended (terminal states:
 * false-positive, test-credential, closed), by key id.
 */
export async function watchedKeys(db: Queryable, provider: string): Promise<WatchedKey[]> {
  const { rows } = await db.query<{
    key_id: string;
    credential_id: string | number;
    checked_through: Date | string | null;
  }>(
    `SELECT k.key_id, k.credential_id, k.checked_through
       FROM provider_keys k JOIN credentials c ON c.id = k.credential_id
      WHERE k.provider = $1 AND NOT (c.state = ANY($2::text[]))
      ORDER BY k.key_id`,
    [provider, [...TERMINAL_STATES]],
  );
  return rows.map((row) => ({
    keyId: row.key_id,
    credentialId: Number(row.credential_id),
    ...(row.checked_through === null ? {} : { checkedThrough: new Date(row.checked_through) }),
  }));
}

/** The stored hours of one key from `from` to `to` (both inclusive, hour starts). */
export async function usageSeries(
  db: Queryable,
  provider: string,
  keyId: string,
  from: Date,
  to: Date,
): Promise<HourlyUsage[]> {
  const { rows } = await db.query<{
    hour: Date | string;
    requests: string | number;
    tokens: string | number;
  }>(
    `SELECT hour, requests, tokens FROM usage_hours
      WHERE provider = $1 AND key_id = $2 AND hour >= $3 AND hour <= $4
      ORDER BY hour`,
    [provider, keyId, from.toISOString(), to.toISOString()],
  );
  return rows.map((row) => ({
    hour: new Date(row.hour),
    requests: Number(row.requests),
    tokens: Number(row.tokens),
  }));
}

/** Records that the hours of a key up to `through` (an hour start) have been tested. Never moves back. */
export async function markKeyChecked(
  db: Queryable,
  provider: string,
  keyId: string,
  through: Date,
): Promise<void> {
  await db.query(
    `UPDATE provider_keys SET checked_through = GREATEST(COALESCE(checked_through, $3), $3)
      WHERE provider = $1 AND key_id = $2`,
    [provider, keyId, through.toISOString()],
  );
}
