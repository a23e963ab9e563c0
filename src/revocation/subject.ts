import type { RevocationPolicy } from '../config/schema.js';
import { loadRepoConfig } from '../github/config.js';
import type { Octokit } from '../github/types.js';
import { type CredentialRecord, loadCredential } from '../inventory/issues.js';
import type { JobDeps } from '../jobs/deps.js';
import { adapterFor } from '../providers/registry.js';
import type { ProviderAdapter } from '../providers/types.js';
import { parseRepo } from '../remediation/issue-github.js';
import { allRules } from '../rules/registry.js';
import type { Rule } from '../rules/types.js';
import type { KeyFacts } from './messages.js';

/**
 * What the verification and revocation jobs work on: the credential with its issue, its rule, the
 * provider's adapter and the revocation policy of the repository that holds the issue (the same config
 * the `/keywarden` commands are read with).
 */
export interface Subject {
  credential: CredentialRecord & { issue: NonNullable<CredentialRecord['issue']> };
  rule: Rule;
  adapter: ProviderAdapter | undefined;
  policy: RevocationPolicy;
  octokit: Octokit;
  key: KeyFacts;
}

export async function loadSubject(
  deps: JobDeps,
  installationId: number,
  credentialId: number,
): Promise<Subject | { missing: string }> {
  const credential = await loadCredential(deps.db, credentialId);
  if (!credential) return { missing: `there is no credential ${credentialId}` };
  if (!credential.issue) return { missing: `credential ${credentialId} has no issue yet` };
  const rule =
    deps.rules.find((r) => r.id === credential.ruleId) ?? allRules.find((r) => r.id === credential.ruleId);
  if (!rule) return { missing: `credential ${credentialId} has an unknown rule ${credential.ruleId}` };
  const octokit = await deps.octokitFor(installationId);
  const { config } = await loadRepoConfig(octokit, parseRepo(credential.issue.repo), '');
  return {
    credential: { ...credential, issue: credential.issue },
    rule,
    adapter: adapterFor(credential.provider, credential.ruleId, deps.providers.adapters),
    policy: config.revocation,
    octokit,
    key: { provider: credential.provider, redacted: credential.redacted, revokeUrl: rule.revokeUrl },
  };
}
