import { fingerprint } from '../engine/fingerprint.js';
import { redact } from '../engine/redact.js';
import { scanText } from '../engine/scan.js';
import type { Secret } from '../engine/secret.js';
import { allRules } from '../rules/registry.js';
import type { CredentialClass, Rule, Severity } from '../rules/types.js';
import type { SecretTypeMapping } from './secret-types.js';

/** What the inventory keeps of an alert's secret: its rule, keyed fingerprint and redacted preview. */
export interface AlertCredential {
  ruleId: string;
  provider: string;
  title: string;
  class: CredentialClass;
  severity: Severity;
  /** HMAC-SHA-256 under the server's fingerprint key, exactly as the engine makes it for a finding. */
  fingerprint: string;
  redacted: string;
}

/**
 * Identifies the secret of a GitHub alert without keeping it: scans the value with the rules of the
 * mapped provider and, when one finding is the whole value (or the only credential inside it, such as
 * the private key of a service-account JSON), takes that finding's rule, fingerprint and redaction, so
 * the credential is the same inventory row as a push finding of the same key. Otherwise the table's rule
 * names it, and the value is fingerprinted and redacted as the engine would for that rule. Pure.
 *
 * @example
 * const credential = identifyAlertSecret(alert.secret, mappedSecretType('openai_api_key')!, deps.rules, key);
 */
export function identifyAlertSecret(
  secret: Secret,
  mapping: SecretTypeMapping,
  rules: readonly Rule[],
  fingerprintKey: string,
): AlertCredential {
  const value = secret.reveal();
  const providerRules = rules.filter((rule) => rule.provider === mapping.provider);
  const findings = providerRules.length > 0 ? scanText(value, providerRules, { fingerprintKey }) : [];
  const whole = findings.find((finding) => finding.secret.equals(value));
  const found = whole ?? (findings.length === 1 ? findings[0] : undefined);
  if (found) {
    return {
      ruleId: found.ruleId,
      provider: found.provider,
      title: found.title,
      class: found.class,
      severity: found.severity,
      fingerprint: found.fingerprint,
      redacted: found.redacted,
    };
  }
  const rule = ruleOf(mapping.ruleId, rules);
  return {
    ruleId: rule.id,
    provider: rule.provider,
    title: rule.title,
    class: rule.class,
    severity: rule.severity,
    fingerprint: fingerprint(value, fingerprintKey),
    redacted: redact(value, visiblePrefix(rule, value)),
  };
}

function ruleOf(ruleId: string, rules: readonly Rule[]): Rule {
  const rule = rules.find((r) => r.id === ruleId) ?? allRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`secret type mapping names an unknown rule ${ruleId}`);
  return rule;
}

/** The engine's choice of visible prefix: the rule's own, else the longest keyword the value starts with. */
function visiblePrefix(rule: Rule, value: string): string {
  if (rule.visiblePrefix !== undefined) return value.startsWith(rule.visiblePrefix) ? rule.visiblePrefix : '';
  const lower = value.toLowerCase();
  let best = '';
  for (const keyword of rule.keywords) {
    if (keyword.length > best.length && lower.startsWith(keyword)) best = value.slice(0, keyword.length);
  }
  return best;
}
