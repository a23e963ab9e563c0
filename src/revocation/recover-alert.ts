import { alertsOf } from '../alerts/store.js';
import { fingerprint } from '../engine/fingerprint.js';
import { scanText } from '../engine/scan.js';
import { getAlert } from '../github/secret-scanning.js';
import type { Octokit } from '../github/types.js';
import type { Database } from '../inventory/database.js';
import { parseRepo } from '../remediation/issue-github.js';
import type { Rule } from '../rules/types.js';
import type { CredentialKey, ValueSource } from './recover.js';

/**
 * The credential's GitHub secret-scanning alerts as places to read its value again from: GitHub's alert
 * API returns the detected secret (`GET /repos/{o}/{r}/secret-scanning/alerts/{n}`). The value is used
 * only when its fingerprint is the credential's (the whole value, or the one finding of the credential's
 * rule inside it), and is never kept.
 */
export async function alertValueSources(
  octokitFor: (installationId: number) => Promise<Octokit>,
  db: Database,
  credential: CredentialKey,
  rule: Rule,
  fingerprintKey: string,
): Promise<ValueSource[]> {
  const alerts = await alertsOf(db, credential.id);
  return alerts.map((alert) => async () => {
    const where = `GitHub alert ${alert.repo}#${alert.number}`;
    const octokit = await octokitFor(alert.installationId);
    const read = await getAlert(octokit, parseRepo(alert.repo), alert.number);
    if (!read) return { missing: `${where} (gone)` };
    if (!read.secret) return { missing: `${where} (GitHub hid the secret)` };
    if (fingerprint(read.secret.reveal(), fingerprintKey) === credential.fingerprint) {
      return { secret: read.secret, from: where };
    }
    const inside = scanText(read.secret.reveal(), [rule], { fingerprintKey }).find(
      (finding) => finding.fingerprint === credential.fingerprint,
    );
    return inside ? { secret: inside.secret, from: where } : { missing: `${where} (another value)` };
  });
}
