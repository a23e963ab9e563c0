import { code } from '../github/markdown.js';
import type { RevocationOutcome, Verification } from '../providers/types.js';

/**
 * The comments the verification and revocation jobs post on a credential's issue. Pure. Provider details
 * are the adapters' one-line `detail` strings, which never hold the key; only the redacted preview is
 * named.
 */

export interface KeyFacts {
  provider: string;
  redacted: string;
  revokeUrl?: string | undefined;
}

function page(key: KeyFacts): string {
  return key.revokeUrl ? `[${key.provider}'s key page](${key.revokeUrl})` : `${key.provider}'s console`;
}

function verdictLine(label: string, verification: Verification): string {
  return `- ${label}: **${verification.verdict}** (${verification.detail})`;
}

/** The key is revoked: what was done, both verifications, and the next step. */
export function revokedComment(
  key: KeyFacts,
  by: string,
  steps: { before: Verification; outcome?: RevocationOutcome; after?: Verification },
): string {
  const lines = [
    `**Revoked at ${key.provider}.** keywarden revoked ${code(key.redacted)} through the provider's API${by === 'keywarden' ? '' : `, as @${by} asked`}.`,
    '',
    verdictLine('Before', steps.before),
  ];
  if (steps.outcome) lines.push(`- Revocation: ${steps.outcome.detail}`);
  if (steps.after) lines.push(verdictLine('After', steps.after));
  if (steps.after && steps.after.verdict !== 'dead') {
    lines.push(
      '',
      steps.after.verdict === 'live'
        ? `The provider accepted the revocation, but the key still answered afterwards: check ${page(key)} that it is gone.`
        : `The provider accepted the revocation; keywarden could not confirm afterwards that the key is dead: check ${page(key)}.`,
    );
  }
  lines.push(
    '',
    `Next: put a new key in a secrets manager, deploy it, remove the old one from the code, then reply ${code('/keywarden rotated')} to close this issue.`,
  );
  return lines.join('\n');
}

/** Verification before revoking found the key already dead: recorded as revoked without a revocation call. */
export function alreadyDeadComment(key: KeyFacts, before: Verification): string {
  return [
    `**Already dead at ${key.provider}.** The key ${code(key.redacted)} no longer works, so keywarden records it as revoked without calling the revocation API.`,
    '',
    verdictLine('Verification', before),
    '',
    `Next: make sure its replacement is in use, then reply ${code('/keywarden rotated')} to close this issue.`,
  ].join('\n');
}

/** A dry run: what would be revoked. */
export function plannedComment(key: KeyFacts, before: Verification, outcome: RevocationOutcome): string {
  return [
    `**Dry run: nothing was revoked.** The repository's policy is ${code('revocation: dry-run')}.`,
    '',
    verdictLine('Verification', before),
    `- Plan: ${outcome.detail}`,
    '',
    `To let keywarden revoke it, set ${code('revocation: on-confirm')} in ${code('.github/keywarden.yml')} and reply ${code('/keywarden revoke')} again; or revoke it by hand on ${page(key)} and reply ${code('/keywarden rotated')}.`,
  ].join('\n');
}

/** The provider refused, or keywarden could not find the key: the manual route. */
export function refusedComment(key: KeyFacts, before: Verification | undefined, detail: string): string {
  const lines = [`**keywarden could not revoke ${code(key.redacted)} at ${key.provider}.** ${detail}`, ''];
  if (before) lines.push(verdictLine('Verification', before), '');
  lines.push(
    `Revoke it by hand on ${page(key)}, then reply ${code('/keywarden rotated')} once its replacement is in use. The credential stays **confirmed** until then.`,
  );
  return lines.join('\n');
}

/** A failure worth retrying: the reason, and when keywarden tries again (or that it gave up). */
export function failedComment(key: KeyFacts, detail: string, retry: { attempt: number; of: number }): string {
  const last = retry.attempt >= retry.of;
  return [
    `**Revoking ${code(key.redacted)} at ${key.provider} failed:** ${detail}`,
    '',
    last
      ? `keywarden tried ${retry.of} times and stops here. Revoke it by hand on ${page(key)}, or reply ${code('/keywarden revoke')} to try again later. The credential stays **confirmed**.`
      : `keywarden retries automatically (attempt ${retry.attempt} of ${retry.of}). The credential stays **confirmed** until the key is revoked.`,
  ].join('\n');
}

/** The revocation stopped on an error that retrying will not mend (or after its last retry). */
export function stoppedComment(key: KeyFacts, reason: string): string {
  return [
    `**Revoking ${code(key.redacted)} at ${key.provider} stopped:** ${reason}.`,
    '',
    `Revoke it by hand on ${page(key)}, or reply ${code('/keywarden revoke')} to try again. The credential stays **confirmed** until the key is revoked.`,
  ].join('\n');
}

/** The value could not be read again from GitHub, so nothing could be sent to the provider. */
export function valueGoneComment(key: KeyFacts, tried: readonly string[]): string {
  return [
    `**keywarden could not read ${code(key.redacted)} again from GitHub**, so it could not ask ${key.provider} about it. keywarden keeps only a fingerprint of a key, and every place it was recorded is gone or changed:`,
    '',
    ...tried.slice(0, 5).map((place) => `- ${code(place)}`),
    '',
    `Revoke it by hand on ${page(key)}, then reply ${code('/keywarden rotated')} once its replacement is in use.`,
  ].join('\n');
}

/** What verification found, posted once after the issue opens (policies other than `off`). */
export function verifiedComment(
  key: KeyFacts,
  verification: Verification,
  next: 'revoking' | 'advice',
): string {
  const lines = [`**Verification at ${key.provider}: ${verification.verdict}.** ${verification.detail}`, ''];
  if (next === 'revoking') {
    lines.push(
      `The key works and the repository's policy is ${code('revocation: auto-when-live')}: keywarden confirms the leak and revokes the key now. Progress appears here.`,
    );
  } else if (verification.verdict === 'live') {
    lines.push(
      `The key works: anyone holding a copy can use it. Reply ${code('/keywarden confirm')}, then ${code('/keywarden revoke')}.`,
    );
  } else if (verification.verdict === 'dead') {
    lines.push(
      `The provider no longer accepts this key. If it was yours, reply ${code('/keywarden confirm')} then ${code('/keywarden revoke')} to record it as revoked; if it never was a real key, ${code('/keywarden false-positive <reason>')}.`,
    );
  } else {
    lines.push('keywarden could not tell whether the key works: treat it as live until it is revoked.');
  }
  return lines.join('\n');
}
