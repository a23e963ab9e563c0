import type { Finding } from '../engine/types.js';
import { SEVERITIES, type Severity } from '../rules/types.js';

/** Position of a severity from `low` (0) to `critical` (3), for comparing. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Whether a finding reaches the threshold that fails the check. */
export function failsThreshold(finding: Pick<Finding, 'severity'>, threshold: Severity): boolean {
  return severityRank(finding.severity) >= severityRank(threshold);
}
