import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertIssuedCredential } from '../../test/support/issued-credential.js';
import type { Database } from '../inventory/database.js';
import { type Backend, openTestDatabase, testBackends } from '../inventory/testing.js';
import {
  markKeyChecked,
  markUsageFetched,
  saveProviderKey,
  saveUsage,
  usageFetchedAt,
  usageSeries,
  watchedKeys,
} from './store.js';

const H0 = new Date('2025-03-14T10:00:00Z');
const H1 = new Date('2025-03-14T11:00:00Z');

async function keyRows(db: Database): Promise<Array<[number, string, string, string | null]>> {
  const { rows } = await db.query<{
    credential_id: string | number;
    provider: string;
    key_id: string;
    scope: string | null;
  }>('SELECT credential_id, provider, key_id, scope FROM provider_keys ORDER BY key_id');
  return rows.map((row) => [Number(row.credential_id), row.provider, row.key_id, row.scope]);
}

describe.each(testBackends())('usage store on %s', (backend: Backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(() => db.close());

  beforeEach(async () => {
    await db.query('DELETE FROM credentials');
    await db.query('DELETE FROM usage_hours');
    await db.query('DELETE FROM usage_fetches');
  });

  it('saves a provider key once, keeps its scope, and moves it to the latest credential', async () => {
    const one = await insertIssuedCredential(db, { name: 'one' });
    const two = await insertIssuedCredential(db, { name: 'two' });

    const created = await saveProviderKey(db, one, 'openai', { keyId: 'key_a', scope: 'proj_1' });
    const repeated = await saveProviderKey(db, one, 'openai', { keyId: 'key_a' });
    const afterRepeat = await keyRows(db);
    const moved = await saveProviderKey(db, two, 'openai', { keyId: 'key_a', scope: 'proj_2' });

    expect([created, repeated, moved]).toEqual([true, false, false]);
    expect(afterRepeat).toEqual([[one, 'openai', 'key_a', 'proj_1']]);
    expect(await keyRows(db)).toEqual([[two, 'openai', 'key_a', 'proj_2']]);
  });

  it('upserts hourly usage, summing buckets of one key and hour and dropping malformed ones', async () => {
    const written = await saveUsage(db, 'openai', [
      { keyId: 'key_a', hour: H0, requests: 2, tokens: 100 },
      { keyId: 'key_a', hour: H0, requests: 1, tokens: 50 },
      { keyId: 'key_a', hour: H1, requests: 4, tokens: 400 },
      { keyId: 'key_a', hour: new Date('2025-03-14T11:30:00Z'), requests: 1, tokens: 1 },
      { keyId: 'key_a', hour: new Date(Number.NaN), requests: 1, tokens: 1 },
      { keyId: '', hour: H0, requests: 1, tokens: 1 },
      { keyId: 'key_b', hour: H0, requests: -1, tokens: 1 },
      { keyId: 'key_b', hour: H0, requests: 1, tokens: 0.5 },
    ]);
    const rewritten = await saveUsage(db, 'openai', [{ keyId: 'key_a', hour: H1, requests: 5, tokens: 500 }]);

    expect([written, rewritten]).toEqual([2, 1]);
    expect(await usageSeries(db, 'openai', 'key_a', H0, H1)).toEqual([
      { hour: H0, requests: 3, tokens: 150 },
      { hour: H1, requests: 5, tokens: 500 },
    ]);
    expect(await usageSeries(db, 'openai', 'key_a', H1, H1)).toHaveLength(1);
    expect(await usageSeries(db, 'anthropic', 'key_a', H0, H1)).toEqual([]);
  });

  it('writes more buckets than one statement holds', async () => {
    const buckets = Array.from({ length: 2_500 }, (_, i) => ({
      keyId: `key_${i % 5}`,
      hour: new Date(H0.getTime() - Math.floor(i / 5) * 3_600_000),
      requests: 1,
      tokens: i,
    }));

    const written = await saveUsage(db, 'openai', buckets);

    const { rows } = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM usage_hours');
    expect(written).toBe(2_500);
    expect(Number(rows[0]!.n)).toBe(2_500);
  });

  it('remembers the last fetch, never moving it backwards', async () => {
    const never = await usageFetchedAt(db, 'openai');
    await markUsageFetched(db, 'openai', H1);
    await markUsageFetched(db, 'openai', H0);

    expect(never).toBeUndefined();
    expect(await usageFetchedAt(db, 'openai')).toEqual(H1);
  });

  it('watches the keys of credentials whose lifecycle has not ended, with their last test', async () => {
    const open = await insertIssuedCredential(db, { name: 'open', state: 'confirmed' });
    const revoked = await insertIssuedCredential(db, { name: 'revoked', state: 'revoked' });
    const closed = await insertIssuedCredential(db, { name: 'closed', state: 'closed' });
    await saveProviderKey(db, open, 'openai', { keyId: 'key_open' });
    await saveProviderKey(db, revoked, 'openai', { keyId: 'key_revoked' });
    await saveProviderKey(db, closed, 'openai', { keyId: 'key_closed' });
    await saveProviderKey(db, open, 'anthropic', { keyId: 'apikey_other' });
    await markKeyChecked(db, 'openai', 'key_open', H1);
    await markKeyChecked(db, 'openai', 'key_open', H0);

    const keys = await watchedKeys(db, 'openai');

    expect(keys).toEqual([
      { keyId: 'key_open', credentialId: open, checkedThrough: H1 },
      { keyId: 'key_revoked', credentialId: revoked },
    ]);
  });
});
