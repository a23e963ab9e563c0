import { code } from '../github/markdown.js';
import type { Queryable } from '../inventory/database.js';

/**
 * What an alert change tells the credential's issue. Each change is an audit event (`alert:*`) whose
 * `data.notice` says whether the issue has been told: `pending`, `posting` (claimed by a job), `posted`,
 * or `skipped` (the credential had no issue yet; the issue shows the alert when it opens). A job claims
 * the pending notices of a credential, comments once, and marks them posted; if it fails they go back to
 * pending, and a claim left by a job that died is taken over after five minutes.
 */

/** An alert change worth a comment on the credential's issue. */
export type AlertNoticeKind =
  | 'alert:opened'
  | 'alert:resolved'
  | 'alert:reopened'
  | 'alert:publicly-leaked'
  | 'alert:push-protection-bypassed';

/** What a notice says, as its audit event holds it. */
export interface AlertNotice {
  kind: AlertNoticeKind;
  repo: string;
  number: number;
  htmlUrl: string;
  resolution?: string | null;
  /** Who resolved the alert, or bypassed push protection. */
  by?: string | null;
  pushProtectionBypassed?: boolean;
}

/** A claim older than this is taken over (its job died). */
const CLAIM_TTL = "interval '5 minutes'";

/** Records an alert change as an audit event with a pending notice. */
export async function recordNotice(
  tx: Queryable,
  credentialId: number,
  notice: AlertNotice,
  actor: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { kind, ...data } = notice;
  await tx.query('INSERT INTO events (credential_id, kind, actor, data) VALUES ($1, $2, $3, $4::jsonb)', [
    credentialId,
    kind,
    actor,
    JSON.stringify({ ...data, ...extra, notice: 'pending' }),
  ]);
}

/** Claims the pending notices of a credential for `claimant` (a job id), oldest first. */
export async function claimNotices(
  db: Queryable,
  credentialId: number,
  claimant: string,
): Promise<Array<{ id: number; notice: AlertNotice }>> {
  const { rows } = await db.query<{ id: unknown; kind: AlertNoticeKind; data: unknown }>(
    `UPDATE events
        SET data = data || jsonb_build_object('notice', 'posting', 'noticeClaim', $2::text, 'noticeClaimedAt', now())
      WHERE credential_id = $1 AND kind LIKE 'alert:%'
        AND (data->>'notice' = 'pending'
          OR (data->>'notice' = 'posting'
            AND (data->>'noticeClaim' = $2 OR (data->>'noticeClaimedAt')::timestamptz < now() - ${CLAIM_TTL})))
      RETURNING id, kind, data`,
    [credentialId, claimant],
  );
  return rows
    .map((row) => {
      const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<
        string,
        unknown
      >;
      const { notice: _state, noticeClaim: _claim, noticeClaimedAt: _at, ...facts } = data;
      return { id: Number(row.id), notice: { ...(facts as Omit<AlertNotice, 'kind'>), kind: row.kind } };
    })
    .sort((a, b) => a.id - b.id);
}

/** Marks claimed notices `posted`, `skipped` (no issue to tell) or back to `pending` (the comment failed). */
export async function finishNotices(
  db: Queryable,
  ids: readonly number[],
  outcome: 'posted' | 'skipped' | 'pending',
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE events SET data = (data - 'noticeClaim' - 'noticeClaimedAt') || jsonb_build_object('notice', $2::text)
      WHERE id = ANY($1::bigint[])`,
    [ids, outcome],
  );
}

const RESOLUTIONS: Record<string, string> = {
  false_positive: 'a false positive',
  used_in_tests: 'used in tests',
  wont_fix: "won't fix",
  revoked: 'revoked',
  pattern_edited: 'pattern edited',
  pattern_deleted: 'pattern deleted',
};

/** A GitHub alert resolution for a reader: `false_positive` → `a false positive`. */
export function resolutionText(resolution: string | null | undefined): string {
  if (!resolution) return 'resolved';
  return RESOLUTIONS[resolution] ?? resolution.replace(/_/g, ' ');
}

/** `alert #7 in `acme/app`` as a link. */
function alertRef(notice: Pick<AlertNotice, 'number' | 'htmlUrl' | 'repo'>): string {
  return `alert [#${notice.number}](${notice.htmlUrl}) in ${code(notice.repo)}`;
}

function bypassLine(notice: AlertNotice): string {
  const who = notice.by ? ` by @${notice.by}` : '';
  return `**Push protection was bypassed**${who} (${alertRef(notice)}): GitHub blocked the push that carried this key, and it was pushed anyway.`;
}

/**
 * The comment telling an issue about alert changes (one paragraph each); `state` is the credential's
 * lifecycle state, which no alert change moves.
 */
export function noticesComment(notices: readonly AlertNotice[], state: string): string {
  const paragraphs = notices.map((notice) => {
    switch (notice.kind) {
      case 'alert:opened': {
        const lead = `GitHub secret scanning also reported this credential: ${alertRef(notice)}. The alerts are listed in the issue.`;
        return notice.pushProtectionBypassed ? `${lead}\n\n${bypassLine(notice)}` : lead;
      }
      case 'alert:resolved': {
        const who = notice.by ? ` by @${notice.by}` : '';
        return (
          `GitHub secret scanning ${alertRef(notice)} was resolved as **${resolutionText(notice.resolution)}**${who}. ` +
          `keywarden records this in the audit log but does not change the credential's state (${code(state)}): ` +
          'closing an alert does not revoke the key. Use the commands below to say what it is.'
        );
      }
      case 'alert:reopened':
        return `GitHub secret scanning ${alertRef(notice)} was reopened.`;
      case 'alert:publicly-leaked':
        return (
          `**GitHub found this secret leaked in public** (${alertRef(notice)}): anyone may have it. ` +
          'Treat the key as compromised and revoke it at the provider now.'
        );
      case 'alert:push-protection-bypassed':
        return bypassLine(notice);
    }
    return '';
  });
  return `${paragraphs.filter(Boolean).join('\n\n')}\n`;
}
