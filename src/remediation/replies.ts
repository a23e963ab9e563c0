import { code, plural } from '../github/markdown.js';
import { type CommandName, helpText } from './commands.js';
import type { CredentialState } from './lifecycle.js';

/**
 * The comments keywarden answers commands with. Pure; user text (reasons, unknown words) is always put in
 * a code span, so a reply never mentions (and notifies) anyone the commenter named. Only the redacted
 * preview of a credential ever appears.
 */

const WHO_CAN_ACT = 'Who can act';

/** The command as the person wrote it, for a reply. */
function usage(name: CommandName): string {
  return code(`/keywarden ${name}`);
}

/** A command by someone who may not act: who can, and that nothing changed. */
export function refusedReply(actor: string, name: CommandName, who: string): string {
  return [
    `@${actor}, you cannot run ${usage(name)} on this issue, so nothing changed.`,
    '',
    `**${WHO_CAN_ACT}:** ${who}.`,
  ].join('\n');
}

/** An allowed command the lifecycle refuses (already in that state, a step skipped). */
export function notNowReply(actor: string, name: CommandName, why: string, next?: string): string {
  const lines = [`@${actor}, ${usage(name)} changed nothing: ${why}.`];
  if (next) lines.push('', next);
  return lines.join('\n');
}

/** What moved, for the comment posted with the refreshed issue. */
export function movedReply(
  actor: string,
  name: CommandName,
  steps: ReadonlyArray<{ from: CredentialState; to: CredentialState }>,
  details: readonly string[] = [],
): string {
  const path = [steps[0]!.from, ...steps.map((step) => step.to)].map((state) => `**${state}**`).join(' → ');
  return [`@${actor} ran ${usage(name)}: ${path}.`, ...details.map((line) => `\n${line}`)].join('\n');
}

/** Suppression note for false-positive / test-credential. */
export function suppressedDetail(
  kind: 'false-positive' | 'test-credential',
  reason: string,
  repos: number,
): string {
  const what = kind === 'false-positive' ? 'a false positive' : 'a test credential';
  return [
    `Recorded as ${what}: ${code(reason)}.`,
    `keywarden no longer reports this value in the ${plural(repos, 'repository', 'repositories')} it was found in; the pull request check passes on its next run.`,
  ].join(' ');
}

/** The manual revocation steps, and why keywarden does not revoke this key itself. */
export function manualRevokeReply(
  actor: string,
  credential: { title: string; provider: string; redacted: string; revokeUrl?: string | undefined },
  why = `${credential.provider} has no API keywarden can revoke this kind of key with`,
): string {
  const page = credential.revokeUrl
    ? `[${credential.provider}'s key page](${credential.revokeUrl})`
    : `${credential.provider}'s console`;
  return [
    `@${actor}, keywarden does not revoke this key itself (${why}), so this is done by hand:`,
    '',
    `1. Open ${page} and revoke (delete) the ${credential.title} ${code(credential.redacted)}.`,
    '2. Create a new key and keep it in a secrets manager (repository or environment secrets, Vault, …), not in the code.',
    '3. Deploy the new key, remove the old one from the code, and, if the repository is or was public, treat its history as compromised: the old value stays in every clone.',
    `4. Reply ${code('/keywarden rotated')}: that records the key as revoked and replaced, and closes this issue.`,
  ].join('\n');
}

/** What `status` shows. */
export interface StatusFacts {
  state: CredentialState;
  stateSince: Date;
  redacted: string;
  severity: string;
  exposures: number;
  repositories: number;
  /** Absent when the credential's lifecycle has ended. */
  deadline?: { at: Date; sla: string };
  /** Recent state changes, oldest first. */
  history: ReadonlyArray<{ kind: string; actor: string; at: Date; reason: string | null }>;
}

export function statusReply(actor: string, facts: StatusFacts, now: Date, who?: string): string {
  const lines = [
    `@${actor}, the status of ${code(facts.redacted)}:`,
    '',
    `- **State:** ${facts.state} (since ${iso(facts.stateSince)})`,
    `- **Seen:** ${plural(facts.exposures, 'place')} in ${plural(facts.repositories, 'repository', 'repositories')}`,
  ];
  if (facts.deadline) {
    const left = facts.deadline.at.getTime() - now.getTime();
    const when = left < 0 ? `overdue by ${span(-left)}` : `${span(left)} left`;
    lines.push(
      `- **Deadline:** ${iso(facts.deadline.at)} (${when}; ${facts.severity} severity, ${facts.deadline.sla} from first detection)`,
    );
  } else {
    lines.push('- **Deadline:** none (nothing left to do)');
  }
  if (facts.history.length > 0) {
    lines.push('', '| When | What | Who | Reason |', '| --- | --- | --- | --- |');
    for (const event of facts.history) {
      lines.push(
        `| ${iso(event.at)} | ${event.kind} | ${code(event.actor)} | ${event.reason ? code(event.reason) : ''} |`,
      );
    }
  }
  return withWho(lines, who);
}

export function helpReply(actor: string, who?: string): string {
  return withWho([`@${actor}, the commands keywarden understands on this issue:`, '', helpText()], who);
}

export function unknownReply(actor: string, word: string, who?: string): string {
  const said = word === '' ? 'a command' : code(word);
  return withWho(
    [`@${actor}, keywarden does not know ${said}. The commands it understands:`, '', helpText()],
    who,
  );
}

export function missingReasonReply(actor: string, name: CommandName): string {
  return `@${actor}, ${usage(name)} needs a reason, so nothing changed: for example ${code(`/keywarden ${name} sample value from the API docs`)}.`;
}

/** Read-only replies to someone who may not act also say who can. */
function withWho(lines: string[], who: string | undefined): string {
  if (who)
    lines.push('', `**${WHO_CAN_ACT}:** ${who}. Anyone can ask for ${usage('status')} or ${usage('help')}.`);
  return lines.join('\n');
}

function iso(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `3d 4h`, `5h 12m`, `40m`. */
export function span(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes % 60}m`;
  return `${minutes}m`;
}
