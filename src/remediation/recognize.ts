import { KEYWARDEN_LABEL } from './labels.js';

/**
 * Recognising keywarden's own remediation issues from what a webhook carries: the `keywarden` label, or
 * the hidden marker `<!-- keywarden:credential <fingerprint> -->` in the issue body (the label can be
 * removed by hand; the marker survives).
 */

/** Reads the marker `credentialMarker(fingerprint)` (issue-body.ts) writes. */
const MARKER = /<!-- keywarden:credential ([0-9a-f]{64}) -->/;

/** The credential fingerprint in an issue body's marker, if it has one. */
export function markerFingerprint(body: string | null | undefined): string | undefined {
  return body ? MARKER.exec(body)?.[1] : undefined;
}

/** An issue as webhooks and the REST API describe it (only what is read here). */
export interface IssueLike {
  body?: string | null;
  labels?: ReadonlyArray<string | { name?: string } | null>;
}

/** Whether an issue is a keywarden remediation issue (label or marker). */
export function isKeywardenIssue(issue: IssueLike): boolean {
  const labelled = (issue.labels ?? []).some(
    (label) => (typeof label === 'string' ? label : label?.name)?.toLowerCase() === KEYWARDEN_LABEL,
  );
  return labelled || markerFingerprint(issue.body) !== undefined;
}

/** Whether a GitHub account is a bot or an app (comments and actions by them are never commands). */
export function isBot(user: { login: string; type?: string } | null | undefined): boolean {
  if (!user) return true;
  return user.type === 'Bot' || user.login.endsWith('[bot]');
}
