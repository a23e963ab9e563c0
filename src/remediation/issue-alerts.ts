import { cell, code, plural } from '../github/markdown.js';

/**
 * The GitHub secret scanning part of a remediation issue (`issueBody`): the alerts about the credential,
 * with push protection bypasses and public leaks flagged. Pure.
 */

/** A GitHub secret scanning alert about the credential, as the issue shows it. */
export interface IssueAlert {
  repo: string;
  number: number;
  htmlUrl: string;
  state: 'open' | 'resolved';
  resolution: string | null;
  resolvedBy: string | null;
  pushProtectionBypassed: boolean;
  pushProtectionBypassedBy: string | null;
  pushProtectionBypassedAt: Date | null;
  publiclyLeaked: boolean;
  /** GitHub's own check of the key: `active`, `inactive` or `unknown`. */
  validity: string | null;
  /** Places outside the code (issue, pull request and discussion text, wiki) where GitHub saw it. */
  otherLocations: ReadonlyArray<{ kind: string; url: string }>;
}

/** Alerts listed in the body, and places outside the code, before the list is cut with a count. */
const ALERT_ROWS = 50;
const OTHER_LOCATION_ROWS = 20;

/**
 * The GitHub secret scanning section: a flag for every push protection bypass (who, when) and public
 * leak, then one row per alert (link, repository, state, GitHub's validity check, push protection), then
 * the places outside the code. Empty when no alert is about the credential.
 */
export function alertsSection(alerts: readonly IssueAlert[]): string[] {
  if (alerts.length === 0) return [];
  const lines = ['### GitHub secret scanning', ''];
  for (const alert of alerts.filter((a) => a.pushProtectionBypassed)) {
    const who = alert.pushProtectionBypassedBy ? ` by @${alert.pushProtectionBypassedBy}` : '';
    const when = alert.pushProtectionBypassedAt ? ` on ${formatTime(alert.pushProtectionBypassedAt)}` : '';
    lines.push(
      `> [!WARNING]\n> **Push protection was bypassed**${who}${when} (${alertLink(alert)}): GitHub blocked the push that carried this key, and it was pushed anyway.`,
      '',
    );
  }
  for (const alert of alerts.filter((a) => a.publiclyLeaked)) {
    lines.push(
      `> [!CAUTION]\n> **GitHub found this secret leaked in public** (${alertLink(alert)}): treat the key as compromised.`,
      '',
    );
  }
  lines.push('| Alert | Repository | State | Validity | Push protection |', '|---|---|---|---|---|');
  for (const alert of alerts.slice(0, ALERT_ROWS)) {
    const state =
      alert.state === 'open'
        ? 'open'
        : `resolved${alert.resolution ? ` as ${cell(alert.resolution.replace(/_/g, ' '))}` : ''}${alert.resolvedBy ? ` by @${cell(alert.resolvedBy)}` : ''}`;
    const bypass = alert.pushProtectionBypassed
      ? `**bypassed**${alert.pushProtectionBypassedBy ? ` by @${cell(alert.pushProtectionBypassedBy)}` : ''}`
      : '—';
    lines.push(
      `| [#${alert.number}](${alert.htmlUrl}) | ${code(alert.repo)} | ${state} | ${cell(alert.validity ?? 'unknown')} | ${bypass} |`,
    );
  }
  if (alerts.length > ALERT_ROWS)
    lines.push('', `_…and ${plural(alerts.length - ALERT_ROWS, 'more alert')}._`);
  const others = alerts.flatMap((alert) => alert.otherLocations.map((place) => ({ alert, place })));
  if (others.length > 0) {
    lines.push('', 'Also found outside the code:', '');
    for (const { alert, place } of others.slice(0, OTHER_LOCATION_ROWS)) {
      lines.push(`- ${cell(place.kind.replace(/_/g, ' '))}: <${place.url}> (${alertLink(alert)})`);
    }
    if (others.length > OTHER_LOCATION_ROWS)
      lines.push('', `_…and ${plural(others.length - OTHER_LOCATION_ROWS, 'more place')}._`);
  }
  lines.push(
    '',
    "GitHub's alerts are resolved by keywarden when the credential is declared a false positive, a test credential or revoked here. Resolving an alert on GitHub is recorded on this issue but does not revoke the key.",
  );
  return [lines.join('\n')];
}

function alertLink(alert: Pick<IssueAlert, 'number' | 'htmlUrl'>): string {
  return `alert [#${alert.number}](${alert.htmlUrl})`;
}

function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
