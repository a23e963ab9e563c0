import type { Finding } from '../engine/types.js';
import { SEVERITIES, type Severity } from '../rules/types.js';
import type { ChangedFragments } from './changed-files.js';
import { MAX_ANNOTATIONS } from './check-annotations.js';
import { CONFIG_PATH } from './config.js';
import { cell, code, plural, truncateUtf8 } from './markdown.js';
import { failsThreshold, severityRank as rank } from './severity.js';

/**
 * The title and Markdown summary of the `keywarden` check run. Only redacted previews appear, never a
 * secret. GitHub accepts up to 65535 characters of summary; the rendering caps its lists and cuts the
 * rest at a line end.
 */

/** What a scan found and could not do, to be reported on a check run. */
export interface CheckReport {
  findings: readonly Finding[];
  /** The lowest severity that fails the check. */
  threshold: Severity;
  unscanned: ChangedFragments['unscanned'];
  /** Why the repository's config could not be used (the defaults were). */
  configError?: string;
}

export const SUMMARY_MAX = 65535;
const FINDING_ROWS = 100;
const PATHS_PER_REASON = 10;

/** `3 AI credentials found (1 critical, 2 high)` or `No AI credentials found`. */
export function checkTitle(report: CheckReport): string {
  const { findings } = report;
  if (findings.length === 0) {
    return report.unscanned.length > 0
      ? `No AI credentials found (${plural(report.unscanned.length, 'item')} not scanned)`
      : 'No AI credentials found';
  }
  const counts = [...SEVERITIES]
    .reverse()
    .map((severity) => [severity, findings.filter((f) => f.severity === severity).length] as const)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity}`);
  return `${plural(findings.length, 'AI credential')} found (${counts.join(', ')})`;
}

/** The whole summary, within GitHub's limit. */
export function checkSummary(report: CheckReport): string {
  const sections = [
    headline(report),
    providerTable(report.findings),
    findingList(report.findings),
    unscannedList(report.unscanned),
    configSection(report.configError),
    report.findings.length > 0 ? suppressHelp() : '',
  ].filter((section) => section !== '');
  return truncateUtf8(
    `${sections.join('\n\n')}\n`,
    SUMMARY_MAX,
    '\n_The summary was cut here to fit GitHub’s limit; see the annotations for the findings._\n',
  );
}

function headline(report: CheckReport): string {
  const failing = report.findings.filter((f) => failsThreshold(f, report.threshold)).length;
  const threshold = `The check fails on findings of severity ${code(report.threshold)} or higher.`;
  if (report.findings.length === 0) return `No AI credentials were found in the added lines. ${threshold}`;
  const verdict =
    failing > 0
      ? `${plural(failing, 'finding')} at or above the threshold, so this check fails.`
      : 'None reaches the threshold, so this check passes.';
  return `**${plural(report.findings.length, 'AI credential')} found** in the added lines. ${threshold} ${verdict}`;
}

function providerTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const groups = new Map<string, { provider: string; class: string; count: number; highest: Severity }>();
  for (const finding of findings) {
    const key = `${finding.provider}\n${finding.class}`;
    const group = groups.get(key);
    if (!group)
      groups.set(key, {
        provider: finding.provider,
        class: finding.class,
        count: 1,
        highest: finding.severity,
      });
    else {
      group.count++;
      if (rank(finding.severity) > rank(group.highest)) group.highest = finding.severity;
    }
  }
  const rows = [...groups.values()].sort(
    (a, b) => rank(b.highest) - rank(a.highest) || b.count - a.count || a.provider.localeCompare(b.provider),
  );
  return [
    '| Provider | Class | Findings | Highest severity |',
    '| --- | --- | ---: | --- |',
    ...rows.map((r) => `| ${cell(r.provider)} | ${cell(r.class)} | ${r.count} | ${r.highest} |`),
  ].join('\n');
}

function findingList(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const sorted = [...findings].sort(
    (a, b) => rank(b.severity) - rank(a.severity) || a.path.localeCompare(b.path) || a.line - b.line,
  );
  const rows = sorted
    .slice(0, FINDING_ROWS)
    .map(
      (f) => `| ${code(`${f.path}:${f.line}`)} | ${cell(f.title)} | ${f.severity} | ${code(f.redacted)} |`,
    );
  const annotated =
    findings.length > MAX_ANNOTATIONS
      ? ` The ${MAX_ANNOTATIONS} most severe findings are annotated on their lines.`
      : ' Every finding is annotated on its line.';
  const more =
    findings.length > FINDING_ROWS ? `\n\n…and ${findings.length - FINDING_ROWS} more.${annotated}` : '';
  return (
    [
      '### Findings',
      '',
      '| Where | Credential | Severity | Preview |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n') + more
  );
}

function unscannedList(unscanned: ChangedFragments['unscanned']): string {
  if (unscanned.length === 0) return '';
  const byReason = new Map<string, string[]>();
  for (const { path, reason } of unscanned) {
    const paths = byReason.get(reason) ?? [];
    if (path !== '') paths.push(path);
    byReason.set(reason, paths);
  }
  const lines = [...byReason].map(([reason, paths]) => {
    if (paths.length === 0) return `- ${cell(reason)}`;
    const shown = paths.slice(0, PATHS_PER_REASON).map(code).join(', ');
    const rest = paths.length > PATHS_PER_REASON ? ` and ${paths.length - PATHS_PER_REASON} more` : '';
    return `- ${cell(reason)}: ${shown}${rest}`;
  });
  return [
    '### Not scanned',
    '',
    'These were not scanned, so a credential in them would not be reported:',
    '',
    ...lines,
  ].join('\n');
}

function configSection(error: string | undefined): string {
  if (!error) return '';
  return [
    '### Configuration',
    '',
    `${code(CONFIG_PATH)} could not be used: ${cell(error)}.`,
    '',
    'This scan used the default settings. Fix the file to apply your own.',
  ].join('\n');
}

function suppressHelp(): string {
  return [
    '### A false positive?',
    '',
    `- Add ${code('keywarden:allow')} in a comment on the line to silence that finding.`,
    `- Skip whole paths (fixtures, vendored code) with ${code('paths.ignore')} in ${code(CONFIG_PATH)}.`,
    `- Or comment ${code('/keywarden false-positive <reason>')} on the credential's keywarden issue: the next scan of this repository leaves it out.`,
    '',
    'A real key stays in the Git history after the line is removed: revoke it at the provider first.',
  ].join('\n');
}
