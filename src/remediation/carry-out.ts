import { durationMs, type SlaConfig } from '../config/schema.js';
import type { Queryable } from '../inventory/database.js';
import type { IssueCredential } from '../inventory/issue-credential.js';
import { suppressCredential } from '../inventory/suppressions.js';
import type { RevocationPlan } from '../revocation/policy.js';
import type { Authorization } from './authorize.js';
import { type CommandName, type ParsedComment, STATE_COMMANDS } from './commands.js';
import { type CredentialState, isCredentialState, isTerminal, transition } from './lifecycle.js';
import {
  helpReply,
  manualRevokeReply,
  missingReasonReply,
  movedReply,
  notNowReply,
  refusedReply,
  type StatusFacts,
  statusReply,
  suppressedDetail,
  unknownReply,
} from './replies.js';

/**
 * The database side of a command: what it changes and what keywarden answers. Runs inside the job's
 * transaction (the credential row locked), so the moves, the suppressions and the audit events commit
 * together or not at all. Talks to no network: authorisation was decided before, the reply is posted after.
 */

/** What a command did, recorded as the `command:*` audit event and replied with. */
export interface CommandOutcome {
  /** The audit event kind: `command:<name>`, `command:refused` or `command:invalid`. */
  kind: string;
  /** The credential's state moved: the issue is refreshed (body, labels, closed when terminal). */
  moved: boolean;
  reply: string;
  data: Record<string, unknown>;
  /** Start a `revoke-credential` job in the same transaction (revocation through the provider's API). */
  startRevocation?: boolean;
}

export interface CommandInput {
  parsed: Exclude<ParsedComment, { kind: 'none' }>;
  decision: Authorization;
  credential: IssueCredential;
  actor: string;
  commentId: number;
  /** The rule's title (credential kind) and the provider's key page. */
  rule: { title: string; revokeUrl?: string | undefined };
  sla: SlaConfig;
  now: Date;
  /**
   * What the repository's policy and the provider's adapter allow: how `revoke` runs, and whether
   * `confirm` starts the revocation (`on-confirm`, `auto-when-live`).
   */
  revocation: { plan: RevocationPlan; onConfirm: boolean };
}

type Step = { from: CredentialState; to: CredentialState };

/** Carries out a parsed command for an authorised or unauthorised actor (see the module doc). */
export async function carryOut(tx: Queryable, input: CommandInput): Promise<CommandOutcome> {
  const { parsed, decision, actor } = input;
  const who = decision.allowed ? undefined : decision.who;
  const audit = decision.allowed ? { because: decision.because } : { who: decision.who };
  if (parsed.kind === 'unknown') {
    return answer('command:invalid', unknownReply(actor, parsed.word, who), { word: parsed.word, ...audit });
  }
  if (parsed.kind === 'missing-reason') {
    return answer('command:invalid', missingReasonReply(actor, parsed.name), {
      command: parsed.name,
      ...audit,
    });
  }
  const { name, reason } = parsed.command;
  if (!decision.allowed && STATE_COMMANDS.includes(name)) {
    return answer('command:refused', refusedReply(actor, name, decision.who), { command: name, ...audit });
  }
  const kind = `command:${name}`;
  switch (name) {
    case 'help':
      return answer(kind, helpReply(actor, who), audit);
    case 'status':
      return answer(kind, statusReply(actor, await statusFacts(tx, input), input.now, who), audit);
    case 'confirm':
      return confirm(tx, input, reason, audit);
    case 'false-positive':
    case 'test-credential':
      return dismiss(tx, input, name, reason ?? '', audit);
    case 'revoke':
      return revoke(tx, input, audit);
    case 'rotated':
      return rotated(tx, input, audit);
  }
}

function answer(kind: string, reply: string, data: Record<string, unknown>): CommandOutcome {
  return { kind, moved: false, reply, data };
}

/** Moves through `path` in order; stops (and reports) at the first refused step. */
async function move(
  tx: Queryable,
  input: CommandInput,
  name: CommandName,
  path: readonly CredentialState[],
  reason: string | undefined,
  audit: Record<string, unknown>,
  details: readonly string[] = [],
): Promise<CommandOutcome> {
  const steps: Step[] = [];
  for (const to of path) {
    const result = await transition(tx, input.credential.id, to, {
      actor: input.actor,
      ...(reason === undefined ? {} : { reason }),
      data: { command: name, commentId: input.commentId },
    });
    if ('refused' in result) {
      if (steps.length > 0)
        throw new Error(`lifecycle refused ${to} halfway through ${name}: ${result.refused}`);
      return answer(`command:${name}`, notNowReply(input.actor, name, result.refused), {
        ...audit,
        refused: result.refused,
      });
    }
    steps.push(result);
  }
  return {
    kind: `command:${name}`,
    moved: true,
    reply: movedReply(input.actor, name, steps, details),
    data: { ...audit, steps },
  };
}

/** `confirm`, which under `on-confirm` (and `auto-when-live`) also starts the revocation. */
async function confirm(
  tx: Queryable,
  input: CommandInput,
  reason: string | undefined,
  audit: Record<string, unknown>,
): Promise<CommandOutcome> {
  const starts = input.revocation.onConfirm && input.revocation.plan.mode === 'revoke';
  const details = starts ? [revokingDetail(input.credential.provider, 'on-confirm')] : [];
  const moved = await move(tx, input, 'confirm', ['confirmed'], reason, audit, details);
  if (!moved.moved || !starts) return moved;
  await requested(tx, input, 'revoke');
  return { ...moved, startRevocation: true };
}

function revokingDetail(provider: string, why: 'on-confirm' | 'command' | 'dry-run'): string {
  if (why === 'dry-run')
    return `keywarden now reads the key again, verifies it at ${provider} and shows what it would revoke (the policy is \`revocation: dry-run\`: nothing is changed). The result appears here.`;
  const because = why === 'on-confirm' ? " (the repository's revocation policy revokes confirmed keys)" : '';
  return `keywarden now revokes the key at ${provider} through its API${because}: it reads the key again, verifies it, revokes it and verifies that it is dead. The result appears here.`;
}

async function requested(tx: Queryable, input: CommandInput, mode: 'revoke' | 'dry-run'): Promise<void> {
  await tx.query(
    `INSERT INTO events (credential_id, kind, actor, reason, data) VALUES ($1, 'revoke:requested', $2, NULL, $3::jsonb)`,
    [input.credential.id, input.actor, JSON.stringify({ commentId: input.commentId, mode })],
  );
}

async function dismiss(
  tx: Queryable,
  input: CommandInput,
  name: 'false-positive' | 'test-credential',
  reason: string,
  audit: Record<string, unknown>,
): Promise<CommandOutcome> {
  const moved = await move(tx, input, name, [name], reason, audit);
  if (!moved.moved) return moved;
  const repos = await suppressCredential(tx, input.credential.id, { reason, actor: input.actor });
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(DISTINCT repo_id)::int AS n FROM exposures WHERE credential_id = $1',
    [input.credential.id],
  );
  return {
    ...moved,
    reply: `${moved.reply}\n\n${suppressedDetail(name, reason, rows[0]?.n ?? repos.length)}`,
    data: { ...moved.data, suppressedRepos: repos },
  };
}

async function currentState(tx: Queryable, credentialId: number): Promise<CredentialState> {
  const { rows } = await tx.query<{ state: string }>('SELECT state FROM credentials WHERE id = $1', [
    credentialId,
  ]);
  const state = rows[0]?.state;
  if (!isCredentialState(state)) throw new Error(`credential ${credentialId} has no known state`);
  return state;
}

/**
 * `revoke` on a confirmed credential. When the policy and the provider's adapter allow it, a
 * `revoke-credential` job starts (recorded as `revoke:requested`) and the reply says so; otherwise the
 * reply gives the manual steps, the provider's key page and why keywarden does not revoke it itself, and
 * the audit log records `revoke:manual`. The state does not move here: only the job records `revoked`.
 */
async function revoke(
  tx: Queryable,
  input: CommandInput,
  audit: Record<string, unknown>,
): Promise<CommandOutcome> {
  const state = await currentState(tx, input.credential.id);
  if (state !== 'confirmed') {
    const why =
      state === 'revoked'
        ? 'the key is already revoked'
        : isTerminal(state)
          ? `the credential is ${state}`
          : `the credential is ${state}, not confirmed`;
    const next =
      state === 'revoked'
        ? 'When its replacement is in use, reply `/keywarden rotated`.'
        : isTerminal(state)
          ? undefined
          : 'If it is a real credential, reply `/keywarden confirm` first.';
    return answer('command:revoke', notNowReply(input.actor, 'revoke', why, next), {
      ...audit,
      refused: why,
    });
  }
  const { credential } = input;
  const { plan } = input.revocation;
  if (plan.mode !== 'manual') {
    await requested(tx, input, plan.mode);
    return {
      kind: 'command:revoke',
      moved: false,
      reply: `@${input.actor}, ${revokingDetail(credential.provider, plan.mode === 'dry-run' ? 'dry-run' : 'command')}`,
      data: { ...audit, revoke: plan.mode },
      startRevocation: true,
    };
  }
  await tx.query(
    `INSERT INTO events (credential_id, kind, actor, reason, data) VALUES ($1, 'revoke:manual', $2, NULL, $3::jsonb)`,
    [
      credential.id,
      input.actor,
      JSON.stringify({ commentId: input.commentId, revokeUrl: input.rule.revokeUrl ?? null }),
    ],
  );
  return answer(
    'command:revoke',
    manualRevokeReply(
      input.actor,
      {
        title: input.rule.title,
        provider: credential.provider,
        redacted: credential.redacted,
        revokeUrl: input.rule.revokeUrl,
      },
      plan.why,
    ),
    { ...audit, revoke: 'manual' },
  );
}

/**
 * `rotated` closes the lifecycle: `revoked → rotated → closed`. A confirmed credential whose manual
 * revocation steps were handed out (`revoke:manual`) is first recorded as revoked, attested by the person
 * running `rotated` (nobody else can know the key was revoked by hand). Anything else is refused with
 * the step that is missing.
 */
async function rotated(
  tx: Queryable,
  input: CommandInput,
  audit: Record<string, unknown>,
): Promise<CommandOutcome> {
  const state = await currentState(tx, input.credential.id);
  if (state === 'revoked') return move(tx, input, 'rotated', ['rotated', 'closed'], undefined, audit);
  if (state === 'confirmed' && (await hasManualRevoke(tx, input.credential.id))) {
    return move(
      tx,
      input,
      'rotated',
      ['revoked', 'rotated', 'closed'],
      'revoked by hand at the provider, as the manual steps asked',
      { ...audit, attested: true },
    );
  }
  const why =
    state === 'confirmed'
      ? 'the key has not been revoked yet'
      : isTerminal(state) || state === 'rotated'
        ? `the credential is ${state}`
        : `the credential is ${state}: it must be confirmed and revoked first`;
  const next =
    state === 'confirmed'
      ? 'Reply `/keywarden revoke` for the steps to revoke it, then `/keywarden rotated` once its replacement is in use.'
      : isTerminal(state) || state === 'rotated'
        ? undefined
        : 'Reply `/keywarden confirm`, then `/keywarden revoke`, then `/keywarden rotated`.';
  return answer('command:rotated', notNowReply(input.actor, 'rotated', why, next), {
    ...audit,
    refused: why,
  });
}

async function hasManualRevoke(tx: Queryable, credentialId: number): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM events WHERE credential_id = $1 AND kind = 'revoke:manual' LIMIT 1`,
    [credentialId],
  );
  return rows.length > 0;
}

/** How many status history rows a `status` reply shows (the most recent). */
const STATUS_HISTORY = 10;

async function statusFacts(tx: Queryable, input: CommandInput): Promise<StatusFacts> {
  const id = input.credential.id;
  const { rows } = await tx.query<{
    state: string;
    state_changed_at: Date | string;
    first_seen: Date | string;
    exposures: number;
    repositories: number;
  }>(
    `SELECT c.state, c.state_changed_at, c.first_seen,
            (SELECT count(*)::int FROM exposures e WHERE e.credential_id = c.id) AS exposures,
            (SELECT count(DISTINCT e.repo_id)::int FROM exposures e WHERE e.credential_id = c.id) AS repositories
     FROM credentials c WHERE c.id = $1`,
    [id],
  );
  const row = rows[0]!;
  if (!isCredentialState(row.state)) throw new Error(`credential ${id} has no known state`);
  const { rows: events } = await tx.query<{
    kind: string;
    actor: string;
    at: Date | string;
    reason: string | null;
  }>(
    `SELECT kind, actor, at, reason FROM (
       SELECT id, kind, actor, at, reason FROM events
       WHERE credential_id = $1 AND (kind LIKE 'state:%' OR kind LIKE 'revoke:%' OR kind LIKE 'verify:%' OR kind = 'detected')
       ORDER BY id DESC LIMIT $2
     ) recent ORDER BY id`,
    [id, STATUS_HISTORY],
  );
  const severity = input.credential.severity;
  const sla = input.sla[severity];
  const firstSeen = new Date(row.first_seen);
  const done = isTerminal(row.state) || row.state === 'rotated';
  return {
    state: row.state,
    stateSince: new Date(row.state_changed_at),
    redacted: input.credential.redacted,
    severity,
    exposures: row.exposures,
    repositories: row.repositories,
    ...(done ? {} : { deadline: { at: new Date(firstSeen.getTime() + durationMs(sla)), sla } }),
    history: events.map((event) => ({ ...event, at: new Date(event.at) })),
  };
}
