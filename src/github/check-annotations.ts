import type { Finding } from '../engine/types.js';
import { allRules } from '../rules/registry.js';
import type { Severity } from '../rules/types.js';
import { failsThreshold, severityRank } from './severity.js';

/**
 * Check run annotations for findings: one per finding, on its exact line and columns, with the redacted
 * preview and never the secret.
 */

/** An annotation as the Checks API takes it. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title: string;
  raw_details?: string;
}

/** GitHub takes at most 50 annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Findings past this many are listed in the summary only (each 50 costs one request). */
export const MAX_ANNOTATIONS = 1000;

const revokeUrls = new Map(allRules.map((rule) => [rule.id, rule.revokeUrl]));

/**
 * `failure` for findings that fail the check, `warning` for medium and high ones below the threshold,
 * `notice` for low ones.
 */
export function annotationLevel(severity: Severity, threshold: Severity): Annotation['annotation_level'] {
  if (severityRank(severity) >= severityRank(threshold)) return 'failure';
  return severity === 'low' ? 'notice' : 'warning';
}

/** Annotations for the findings, most severe first, at most `MAX_ANNOTATIONS`. */
export function annotationsFor(findings: readonly Finding[], threshold: Severity): Annotation[] {
  const sorted = [...findings].sort(
    (a, b) =>
      Number(failsThreshold(b, threshold)) - Number(failsThreshold(a, threshold)) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.path.localeCompare(b.path) ||
      a.line - b.line ||
      a.column - b.column,
  );
  return sorted.slice(0, MAX_ANNOTATIONS).map((finding) => annotationFor(finding, threshold));
}

function annotationFor(finding: Finding, threshold: Severity): Annotation {
  const revoke = revokeUrls.get(finding.ruleId);
  const message = [
    `${finding.title} (${finding.severity}, ${finding.class}): ${finding.redacted}`,
    revoke
      ? `Revoke it at ${revoke}; removing the line does not remove it from the Git history.`
      : 'Revoke it at the provider; removing the line does not remove it from the Git history.',
  ].join('\n');
  return {
    path: finding.path,
    start_line: finding.line,
    end_line: finding.line,
    start_column: finding.column,
    // Only the length is read: the columns cover the whole key.
    end_column: finding.column + finding.secret.reveal().length - 1,
    annotation_level: annotationLevel(finding.severity, threshold),
    title: `keywarden: ${finding.title}`,
    message,
    raw_details: `rule ${finding.ruleId}\nfingerprint ${finding.fingerprint}`,
  };
}
