/**
 * The labels of a remediation issue. keywarden owns `keywarden` and the `provider:`, `severity:` and
 * `state:` families; every other label on an issue (the repository's own, `overdue`, ones a person added)
 * is left alone when the state changes.
 */

/** The label every remediation issue carries; the marker search lists issues by it. */
export const KEYWARDEN_LABEL = 'keywarden';

const MANAGED_PREFIXES = ['provider:', 'severity:', 'state:'] as const;

/** GitHub refuses label names longer than this. */
const MAX_LABEL_LENGTH = 50;

/** What the labels of a credential's issue are made from. */
export interface LabelSource {
  provider: string;
  severity: string;
  state: string;
}

/**
 * The labels keywarden sets on a credential's issue: `keywarden`, `provider:<p>`, `severity:<s>`,
 * `state:<state>`, then the repository's `issues.labels` from config (deduplicated, order kept).
 *
 * @example issueLabels({ provider: 'openai', severity: 'critical', state: 'notified' }, ['security'])
 * // ['keywarden', 'provider:openai', 'severity:critical', 'state:notified', 'security']
 */
export function issueLabels(source: LabelSource, extra: readonly string[] = []): string[] {
  const labels = [
    KEYWARDEN_LABEL,
    `provider:${source.provider}`,
    `severity:${source.severity}`,
    `state:${source.state}`,
    ...extra,
  ].map((label) => label.slice(0, MAX_LABEL_LENGTH));
  return [...new Set(labels)];
}

/** Whether keywarden sets and replaces this label itself. */
export function isManagedLabel(label: string): boolean {
  return label === KEYWARDEN_LABEL || MANAGED_PREFIXES.some((prefix) => label.startsWith(prefix));
}

/**
 * The labels an issue should carry after a refresh: its current labels that keywarden does not manage
 * (kept as they are), then keywarden's own, current ones.
 */
export function mergeLabels(current: readonly string[], managed: readonly string[]): string[] {
  return [...new Set([...current.filter((label) => !isManagedLabel(label)), ...managed])];
}
