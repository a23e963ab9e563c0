import type { Finding } from '../engine/types.js';
import type { Rule } from '../rules/types.js';
import type { SkipCounts } from './walk.js';

/** Everything a formatter needs about one scan. Findings never carry the raw value outside `secret`. */
export interface ScanReport {
  /** Sorted by path, line, column and rule id. */
  findings: readonly Finding[];
  /** The rules that ran (SARIF lists them as the driver's rules). */
  rules: readonly Rule[];
  /** Files (or diff files) whose text was scanned. */
  scanned: number;
  skipped: SkipCounts;
  /** Findings left out because the baseline lists them or the line carries `keywarden:allow`. */
  suppressed: { baseline: number; inlineAllow: number };
}

/** The JSON object of one finding, keys in the documented order; `redacted` is the only trace of the value. */
export interface FindingJson {
  path: string;
  line: number;
  column: number;
  ruleId: string;
  provider: string;
  class: string;
  severity: string;
  redacted: string;
  fingerprint: string;
}

/** `--format json`: `{"findings":[…],"skipped":{<reason>: count, …}}`. */
export function renderJson(report: ScanReport): string {
  const findings: FindingJson[] = report.findings.map((finding) => ({
    path: finding.path,
    line: finding.line,
    column: finding.column,
    ruleId: finding.ruleId,
    provider: finding.provider,
    class: finding.class,
    severity: finding.severity,
    redacted: finding.redacted,
    fingerprint: finding.fingerprint,
  }));
  return `${JSON.stringify({ findings, skipped: report.skipped }, null, 2)}\n`;
}

/** Orders findings by path, line, column and rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}
