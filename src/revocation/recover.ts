import { scanText } from '../engine/scan.js';
import type { Secret } from '../engine/secret.js';
import type { Octokit } from '../github/types.js';
import type { Queryable } from '../inventory/database.js';
import type { Rule } from '../rules/types.js';

/**
 * Reads a credential's raw value again from GitHub, for the one provider call that needs it: the
 * inventory keeps only the fingerprint. Each recorded place is tried, newest first, until one yields a
 * value whose fingerprint is the credential's: the blob at the recorded commit (re-scanned with the
 * credential's rule), else the file at that commit. The value lives only in the returned `Secret`; the
 * caller drops it when done.
 */

/** Largest blob read back (bigger files were not scanned either). */
export const MAX_BLOB_BYTES = 5 * 1024 * 1024;
/** Places tried before giving up. */
const MAX_PLACES = 5;

export interface CredentialKey {
  id: number;
  fingerprint: string;
  ruleId: string;
}

export type Recovered =
  | { found: true; secret: Secret; from: string }
  /** Nothing held the value any more: each place tried and why it did not yield it. */
  | { found: false; tried: string[] };

/** Another way to read the value (the secret-scanning alert), tried after the places in the code. */
export type ValueSource = () => Promise<{ secret: Secret; from: string } | { missing: string } | undefined>;

interface PlaceRow {
  repo: string;
  commit_sha: string;
  path: string;
  blob_sha: string | null;
}

export async function recoverSecret(
  octokit: Octokit,
  db: Queryable,
  credential: CredentialKey,
  rule: Rule,
  fingerprintKey: string,
  alternatives: readonly ValueSource[] = [],
): Promise<Recovered> {
  const { rows } = await db.query<PlaceRow>(
    `SELECT repo, commit_sha, path, blob_sha FROM (
       SELECT DISTINCT ON (repo, commit_sha, path) repo, commit_sha, path, blob_sha, first_seen
       FROM exposures
       WHERE credential_id = $1 AND commit_sha <> ''
       ORDER BY repo, commit_sha, path, (blob_sha IS NULL), first_seen DESC
     ) places ORDER BY first_seen DESC LIMIT $2`,
    [credential.id, MAX_PLACES],
  );
  const places = rows;
  const tried: string[] = [];
  for (const place of places) {
    const where = `${place.repo}@${place.commit_sha.slice(0, 7)}:${place.path}`;
    const text = await readPlace(octokit, place);
    if (typeof text !== 'string') {
      tried.push(`${where} (${text.missing})`);
      continue;
    }
    const secret = findIn(text, place.path, credential, rule, fingerprintKey);
    if (secret) return { found: true, secret, from: where };
    tried.push(`${where} (the key is no longer there)`);
  }
  for (const source of alternatives) {
    const result = await source();
    if (!result) continue;
    if ('secret' in result) return { found: true, secret: result.secret, from: result.from };
    tried.push(result.missing);
  }
  return { found: false, tried };
}

async function readPlace(octokit: Octokit, place: PlaceRow): Promise<string | { missing: string }> {
  const [owner, repo] = place.repo.split('/') as [string, string];
  try {
    if (place.blob_sha) {
      const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: place.blob_sha });
      if (data.size !== null && data.size !== undefined && data.size > MAX_BLOB_BYTES)
        return { missing: 'file too large' };
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    }
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: place.path,
      ref: place.commit_sha,
    });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return { missing: 'not a file' };
    if (data.size > MAX_BLOB_BYTES) return { missing: 'file too large' };
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 409 || status === 410) return { missing: `GitHub answered ${status}` };
    throw error;
  }
}

function findIn(
  text: string,
  path: string,
  credential: CredentialKey,
  rule: Rule,
  fingerprintKey: string,
): Secret | undefined {
  const findings = scanText(text, [rule], { path, fingerprintKey });
  return findings.find((finding) => finding.fingerprint === credential.fingerprint)?.secret;
}
