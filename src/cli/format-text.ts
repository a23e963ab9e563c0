import type { Finding } from '../engine/types.js';
import { SEVERITIES, type Severity } from '../rules/types.js';
import type { ScanReport } from './report.js';
import { SKIP_REASONS, type SkipCounts, type SkipReason } from './walk.js';

export interface TextOptions {
  /** ANSI colours: only for a terminal, and never when NO_COLOR is set. */
  color: boolean;
}

const SKIP_LABELS: Record<SkipReason, string> = {
  'excluded-directory': '.git/node_modules folders',
  symlink: 'symlinks',
  'special-file': 'special files',
  binary: 'binary',
  'too-large': 'too large',
  'ignored-path': 'ignored by config',
  unreadable: 'unreadable',
  deleted: 'deleted in the diff',
};

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
};
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/**
 * The human report: findings grouped by file, one line each (`line:column`, severity, rule title and
 * id, redacted value), a summary, and how to suppress a finding.
 *
 * @example
 * ```text
 * config/.env
 *   3:16  critical  OpenAI project API key (openai.project-key)  sk-proj-…a1B2
 * ```
 */
export function renderText(report: ScanReport, options: TextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  const byPath = groupByPath(report.findings);
  for (const [path, findings] of byPath) {
    lines.push(paint(BOLD, path));
    const width = Math.max(...findings.map((finding) => `${finding.line}:${finding.column}`.length));
    for (const finding of findings) {
      const at = `${finding.line}:${finding.column}`.padEnd(width);
      const severity = paint(SEVERITY_COLOR[finding.severity], finding.severity.padEnd(8));
      lines.push(
        `  ${at}  ${severity}  ${finding.title} ${paint(DIM, `(${finding.ruleId})`)}  ${finding.redacted}`,
      );
    }
    lines.push('');
  }
  lines.push(summary(report, byPath.size));
  if (report.findings.length > 0) lines.push('', ...SUPPRESS_HELP);
  return `${lines.join('\n')}\n`;
}

const SUPPRESS_HELP = [
  'Revoke a real key first: deleting it from the code does not make it safe. To suppress a finding:',
  '  - add a "keywarden:allow" comment on its line;',
  '  - ignore the path in .github/keywarden.yml (paths: { ignore: ["glob"] });',
  '  - or accept the current findings: keywarden scan --format json --output baseline.json,',
  '    then keywarden scan --baseline baseline.json.',
];

function groupByPath(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.path);
    if (group) group.push(finding);
    else groups.set(finding.path, [finding]);
  }
  return groups;
}

function summary(report: ScanReport, files: number): string {
  const count = report.findings.length;
  const parts: string[] = [];
  if (count === 0) {
    parts.push('No secrets found.');
  } else {
    const bySeverity = [...SEVERITIES]
      .reverse()
      .map(
        (severity) =>
          [severity, report.findings.filter((finding) => finding.severity === severity).length] as const,
      )
      .filter(([, n]) => n > 0)
      .map(([severity, n]) => `${n} ${severity}`);
    parts.push(
      `Found ${count} ${count === 1 ? 'secret' : 'secrets'} in ${files} ${files === 1 ? 'file' : 'files'} ` +
        `(${bySeverity.join(', ')}).`,
    );
  }
  parts.push(
    `Scanned ${report.scanned} ${report.scanned === 1 ? 'file' : 'files'}${skippedText(report.skipped)}.`,
  );
  const { baseline, inlineAllow } = report.suppressed;
  if (baseline + inlineAllow > 0) {
    parts.push(`Suppressed ${baseline} by baseline, ${inlineAllow} by keywarden:allow.`);
  }
  return parts.join(' ');
}

/** `; skipped 3 (binary: 2, too large: 1)`, or nothing when nothing was skipped. */
export function skippedText(skipped: SkipCounts): string {
  const parts = SKIP_REASONS.filter((reason) => skipped[reason] > 0).map(
    (reason) => `${SKIP_LABELS[reason]}: ${skipped[reason]}`,
  );
  if (parts.length === 0) return '';
  const total = SKIP_REASONS.reduce((sum, reason) => sum + skipped[reason], 0);
  return `; skipped ${total} (${parts.join(', ')})`;
}
