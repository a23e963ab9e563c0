import type { Finding } from '../engine/types.js';
import type { Rule, Severity } from '../rules/types.js';
import type { ScanReport } from './report.js';
import { HOMEPAGE } from './version.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one run, the rules that
 * ran as the driver's rules, one result per finding with a relative URI under `%SRCROOT%` and the
 * keywarden fingerprint as a partial fingerprint, so an alert keeps its identity when lines move.
 * Messages carry the redacted value only.
 */

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Key of keywarden's fingerprint in `result.partialFingerprints`. */
export const SARIF_FINGERPRINT_KEY = 'keywarden/v1';

/** What SARIF says about a rule. */
type RuleInfo = Pick<Rule, 'id' | 'provider' | 'title' | 'class' | 'severity' | 'revokeUrl'>;

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub reads `security-severity` as a CVSS-like score: >= 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** `--format sarif`: a SARIF 2.1.0 log as pretty-printed JSON. */
export function renderSarif(report: ScanReport, version: string): string {
  const rules: RuleInfo[] = [...report.rules];
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  // Every finding comes from a rule that ran; should one not, describe it from the finding so ruleIndex holds.
  for (const finding of report.findings) {
    if (ruleIndex.has(finding.ruleId)) continue;
    const { provider, title, severity } = finding;
    ruleIndex.set(
      finding.ruleId,
      rules.push({ id: finding.ruleId, provider, title, class: finding.class, severity }) - 1,
    );
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keywarden',
            version,
            semanticVersion: version,
            informationUri: HOMEPAGE,
            rules: rules.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding) => result(finding, ruleIndex.get(finding.ruleId)!, rules)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: RuleInfo) {
  const revoke = rule.revokeUrl ? ` Revoke it at ${rule.revokeUrl}.` : '';
  const markdownRevoke = rule.revokeUrl ? ` Revoke it at <${rule.revokeUrl}>.` : '';
  const steps =
    'Remove it from the code and read it from a secret store or environment variable instead. ' +
    'Deleting it from the file does not make it safe: it stays in the git history. ' +
    'If it is not a real credential, add a `keywarden:allow` comment on the line, ignore the path in ' +
    '`.github/keywarden.yml`, or record it in a `--baseline` file.';
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: `${rule.title} exposed` },
    fullDescription: {
      text:
        `A ${rule.title} (${rule.class} credential, ${rule.severity} severity) appears in the repository. ` +
        'Anyone who can read the code can use it.',
    },
    help: {
      text: `Treat the ${rule.title} as compromised.${revoke} ${steps}`,
      markdown: `Treat the **${rule.title}** as compromised.${markdownRevoke} ${steps}`,
    },
    ...(rule.revokeUrl ? { helpUri: rule.revokeUrl } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'high',
      tags: ['security', 'secret', `class/${rule.class}`, `provider/${rule.provider}`],
    },
  };
}

function result(finding: Finding, index: number, rules: readonly RuleInfo[]) {
  const revokeUrl = rules[index]?.revokeUrl;
  const revoke = revokeUrl ? `Revoke it at ${revokeUrl}, then remove it.` : 'Revoke it, then remove it.';
  return {
    ruleId: finding.ruleId,
    ruleIndex: index,
    level: LEVEL[finding.severity],
    message: { text: `${finding.title} ${finding.redacted} is exposed. ${revoke}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(finding.path), uriBaseId: '%SRCROOT%' },
          region: { startLine: finding.line, startColumn: finding.column },
        },
      },
    ],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
  };
}

/** `openai.project-key` → `OpenaiProjectKey` (SARIF `name` is an identifier-like label). */
export function ruleName(id: string): string {
  return id
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** A relative path as a relative URI reference: each segment percent-encoded, `/` kept. */
export function pathToUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
