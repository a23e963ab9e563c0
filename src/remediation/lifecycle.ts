import type { Database, Queryable } from '../inventory/database.js';

/**
 * The lifecycle of a leaked credential (DESIGN.md "Lifecycle"):
 *
 * ```
 * detected ──▶ notified ──▶ confirmed ──▶ revoked ──▶ rotated ──▶ closed
 *    │            │
 *    │            ├──▶ false-positive   (terminal; reopens to notified on a new leak)
 *    │            └──▶ test-credential  (terminal; reopens to notified on a new leak)
 *    └──▶ confirmed | false-positive | test-credential   (a command before the issue was announced)
 * closed ──▶ notified   (the credential leaked again after it was closed: its issue is reopened)
 * ```
 *
 * - `detected`: recorded by a scan; nobody told yet.
 * - `notified`: its issue is open (set by the issue job after opening the issue).
 * - `confirmed`: an authorised person says it is a real credential (`/keywarden confirm`).
 * - `false-positive` / `test-credential`: an authorised person says it is not a live secret; the
 *   fingerprint is suppressed in every repository it was found in, and the issue is closed.
 * - `revoked`: the key is dead at the provider (a provider adapter, or a person attesting a manual
 *   revocation with `/keywarden rotated`).
 * - `rotated`: a replacement key is in place; `closed` follows at once and closes the issue.
 *
 * No state moves to itself, and nothing skips a step (`confirmed → rotated` is refused: revoke first).
 */
export type CredentialState =
  | 'detected'
  | 'notified'
  | 'confirmed'
  | 'false-positive'
  | 'test-credential'
  | 'revoked'
  | 'rotated'
  | 'closed';

/** Every state, in lifecycle order. */
export const CREDENTIAL_STATES: readonly CredentialState[] = [
  'detected',
  'notified',
  'confirmed',
  'false-positive',
  'test-credential',
  'revoked',
  'rotated',
  'closed',
];

/** The allowed moves: `LIFECYCLE[from]` lists every state `from` may move to. */
export const LIFECYCLE: Readonly<Record<CredentialState, readonly CredentialState[]>> = {
  detected: ['notified', 'confirmed', 'false-positive', 'test-credential'],
  notified: ['confirmed', 'false-positive', 'test-credential'],
  confirmed: ['revoked'],
  'false-positive': ['notified'],
  'test-credential': ['notified'],
  revoked: ['rotated'],
  rotated: ['closed'],
  closed: ['notified'],
};

/** States in which the credential's issue is closed: nothing is left to do until it leaks again. */
export const TERMINAL_STATES: readonly CredentialState[] = ['false-positive', 'test-credential', 'closed'];

/** Whether `state` ends the credential's lifecycle (its issue is closed). */
export function isTerminal(state: CredentialState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** Whether the lifecycle allows `from → to`. */
export function canTransition(from: CredentialState, to: CredentialState): boolean {
  return LIFECYCLE[from].includes(to);
}

/** Why `from → to` is refused, for a human (`undefined` when the move is allowed). */
export function refusal(from: CredentialState, to: CredentialState): string | undefined {
  if (canTransition(from, to)) return undefined;
  if (from === to) return `the credential is already ${from}`;
  if (isTerminal(from))
    return `the credential is ${from}: its lifecycle has ended (it reopens if it leaks again)`;
  const next = LIFECYCLE[from];
  return `a ${from} credential cannot become ${to} (it can become ${next.join(' or ')})`;
}

/** Whether `value` is a lifecycle state (the database column holds one of them). */
export function isCredentialState(value: unknown): value is CredentialState {
  return typeof value === 'string' && (CREDENTIAL_STATES as readonly string[]).includes(value);
}

export interface TransitionActor {
  /** Who moved it: a GitHub login, or `keywarden` for the app itself. */
  actor: string;
  reason?: string;
  /** Extra audit data (say, the comment id of the command), merged into the event's `data`. */
  data?: Record<string, unknown>;
}

export type TransitionResult = { from: CredentialState; to: CredentialState } | { refused: string };

function isDatabase(db: Queryable): db is Database {
  return typeof (db as Partial<Database>).transaction === 'function';
}

/**
 * Moves a credential to `to` if the lifecycle allows it: locks the row, checks {@link LIFECYCLE}, sets
 * `state` and `state_changed_at`, and appends the audit event `state:<to>` (actor, reason, data
 * `{ from, to, …who.data }`), all in one transaction. Refused moves change nothing and say why.
 *
 * Pass the database (a transaction of its own) or an open transaction (to combine several moves or other
 * writes in one commit).
 *
 * @example
 * const moved = await transition(db, id, 'confirmed', { actor: 'octocat', reason: 'checked the key' });
 * if ('refused' in moved) reply(`Nothing changed: ${moved.refused}.`);
 */
export async function transition(
  db: Queryable,
  credentialId: number,
  to: CredentialState,
  who: TransitionActor,
): Promise<TransitionResult> {
  const run = (tx: Queryable) => transitionIn(tx, credentialId, to, who);
  return isDatabase(db) ? db.transaction(run) : run(db);
}

async function transitionIn(
  tx: Queryable,
  credentialId: number,
  to: CredentialState,
  who: TransitionActor,
): Promise<TransitionResult> {
  const { rows } = await tx.query<{ state: string }>(
    'SELECT state FROM credentials WHERE id = $1 FOR UPDATE',
    [credentialId],
  );
  const row = rows[0];
  if (!row) return { refused: `there is no credential ${credentialId}` };
  if (!isCredentialState(row.state)) throw new Error(`credential ${credentialId} has an unknown state`);
  const from = row.state;
  const refused = refusal(from, to);
  if (refused) return { refused };
  await tx.query('UPDATE credentials SET state = $2, state_changed_at = now() WHERE id = $1', [
    credentialId,
    to,
  ]);
  await tx.query(
    'INSERT INTO events (credential_id, kind, actor, reason, data) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [credentialId, `state:${to}`, who.actor, who.reason ?? null, JSON.stringify({ ...who.data, from, to })],
  );
  return { from, to };
}
