import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../inventory/database.js';
import { openTestDatabase, testBackends } from '../inventory/testing.js';
import {
  CREDENTIAL_STATES,
  type CredentialState,
  canTransition,
  isTerminal,
  LIFECYCLE,
  refusal,
  transition,
} from './lifecycle.js';

describe('lifecycle table', () => {
  it('allows exactly the documented moves', () => {
    const moves = CREDENTIAL_STATES.flatMap((from) =>
      CREDENTIAL_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
    );

    expect(moves).toEqual([
      'detected>notified',
      'detected>confirmed',
      'detected>false-positive',
      'detected>test-credential',
      'notified>confirmed',
      'notified>false-positive',
      'notified>test-credential',
      'confirmed>revoked',
      'false-positive>notified',
      'test-credential>notified',
      'revoked>rotated',
      'rotated>closed',
      'closed>notified',
    ]);
  });

  it('never moves a state to itself and names only known states', () => {
    for (const from of CREDENTIAL_STATES) {
      expect(canTransition(from, from)).toBe(false);
      for (const to of LIFECYCLE[from]) expect(CREDENTIAL_STATES).toContain(to);
    }
  });

  it('explains a refused move', () => {
    expect(refusal('confirmed', 'confirmed')).toBe('the credential is already confirmed');
    expect(refusal('confirmed', 'rotated')).toBe(
      'a confirmed credential cannot become rotated (it can become revoked)',
    );
    expect(refusal('notified', 'confirmed')).toBeUndefined();
    expect(refusal('false-positive', 'confirmed')).toBe(
      'the credential is false-positive: its lifecycle has ended (it reopens if it leaks again)',
    );
  });

  it('marks false-positive, test-credential and closed as terminal', () => {
    expect(CREDENTIAL_STATES.filter(isTerminal)).toEqual(['false-positive', 'test-credential', 'closed']);
  });
});

describe.each(testBackends())('transition on %s', (backend) => {
  let db: Database;
  let nextFingerprint = 1;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(() => db.close());

  async function credential(state: CredentialState = 'detected'): Promise<number> {
    const fingerprint = (nextFingerprint++).toString(16).padStart(64, '0');
    const { rows } = await db.query<{ id: unknown }>(
      `INSERT INTO credentials (fingerprint, provider, rule_id, class, severity, redacted, state, state_changed_at)
       VALUES ($1, 'anthropic', 'anthropic.api-key', 'model-api', 'critical', 'sk-ant-…abcd', $2,
               now() - interval '1 day')
       RETURNING id`,
      [fingerprint, state],
    );
    return Number(rows[0]!.id);
  }

  async function stateOf(id: number) {
    const { rows } = await db.query<{ state: string; recent: boolean }>(
      `SELECT state, state_changed_at > now() - interval '1 hour' AS recent FROM credentials WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async function eventsOf(id: number) {
    const { rows } = await db.query<{ kind: string; actor: string; reason: string | null; data: unknown }>(
      'SELECT kind, actor, reason, data FROM events WHERE credential_id = $1 ORDER BY id',
      [id],
    );
    return rows;
  }

  it('moves the state, stamps state_changed_at and records the audit event', async () => {
    const id = await credential('notified');

    const result = await transition(db, id, 'confirmed', {
      actor: 'octocat',
      reason: 'checked at the provider',
      data: { commentId: 42 },
    });

    expect(result).toEqual({ from: 'notified', to: 'confirmed' });
    expect(await stateOf(id)).toEqual({ state: 'confirmed', recent: true });
    expect(await eventsOf(id)).toEqual([
      {
        kind: 'state:confirmed',
        actor: 'octocat',
        reason: 'checked at the provider',
        data: { commentId: 42, from: 'notified', to: 'confirmed' },
      },
    ]);
  });

  it('refuses an invalid move and changes nothing', async () => {
    const id = await credential('notified');

    const result = await transition(db, id, 'rotated', { actor: 'octocat' });

    expect(result).toEqual({
      refused:
        'a notified credential cannot become rotated (it can become confirmed or false-positive or test-credential)',
    });
    expect(await stateOf(id)).toEqual({ state: 'notified', recent: false });
    expect(await eventsOf(id)).toEqual([]);
  });

  it('refuses an unknown credential', async () => {
    expect(await transition(db, 987654, 'confirmed', { actor: 'octocat' })).toEqual({
      refused: 'there is no credential 987654',
    });
  });

  it('walks the whole path to closed inside one caller transaction', async () => {
    const id = await credential('detected');

    const results = await db.transaction(async (tx) => {
      const steps: CredentialState[] = ['notified', 'confirmed', 'revoked', 'rotated', 'closed'];
      const out = [];
      for (const to of steps) out.push(await transition(tx, id, to, { actor: 'keywarden' }));
      return out;
    });

    expect(results.map((r) => ('to' in r ? r.to : r.refused))).toEqual([
      'notified',
      'confirmed',
      'revoked',
      'rotated',
      'closed',
    ]);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual([
      'state:notified',
      'state:confirmed',
      'state:revoked',
      'state:rotated',
      'state:closed',
    ]);
  });

  it('rolls the move back when the caller transaction fails', async () => {
    const id = await credential('notified');

    await expect(
      db.transaction(async (tx) => {
        await transition(tx, id, 'false-positive', { actor: 'octocat', reason: 'docs' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect((await stateOf(id))?.state).toBe('notified');
    expect(await eventsOf(id)).toEqual([]);
  });

  it('lets exactly one of two concurrent identical moves win', async () => {
    const id = await credential('notified');

    const results = await Promise.all([
      transition(db, id, 'confirmed', { actor: 'alice' }),
      transition(db, id, 'confirmed', { actor: 'bob' }),
    ]);

    expect(results.filter((r) => 'to' in r)).toHaveLength(1);
    expect(results.filter((r) => 'refused' in r)).toEqual([
      { refused: 'the credential is already confirmed' },
    ]);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['state:confirmed']);
  });

  it('reopens a false positive to notified on a new leak', async () => {
    const id = await credential('false-positive');

    expect(await transition(db, id, 'notified', { actor: 'keywarden', reason: 'leaked again' })).toEqual({
      from: 'false-positive',
      to: 'notified',
    });
  });
});
