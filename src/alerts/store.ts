import type { AlertLocation, SecretScanningAlert } from '../github/secret-scanning.js';
import type { Queryable } from '../inventory/database.js';
import type { AlertCredential } from './identify.js';

/**
 * The inventory side of GitHub secret scanning alerts: the credential an alert's secret is (by
 * fingerprint, never the secret), the alert's state, its locations (commits as exposures with source
 * `alert`, other places in `alert_locations`), and the sweep's ETags. Writes are single statements or
 * run inside the caller's transaction.
 */

/** An alert as the inventory holds it. */
export interface StoredAlert {
  id: number;
  credentialId: number;
  installationId: number;
  repoId: number;
  /** `owner/name` */
  repo: string;
  number: number;
  secretType: string;
  state: 'open' | 'resolved';
  resolution: string | null;
  resolvedBy: string | null;
  pushProtectionBypassed: boolean;
  pushProtectionBypassedBy: string | null;
  pushProtectionBypassedAt: Date | null;
  validity: string | null;
  publiclyLeaked: boolean;
  htmlUrl: string;
  updatedAt: Date;
}

/** A place outside the code where an alert's secret was seen. */
export interface OtherLocation {
  kind: string;
  url: string;
}

/** Where an alert was found, as the inventory records it. */
export interface AlertPlace {
  installationId: number;
  repoId: number;
  /** `owner/name` */
  repo: string;
}

interface AlertRow {
  id: unknown;
  credential_id: unknown;
  installation_id: unknown;
  repo_id: unknown;
  repo: string;
  number: unknown;
  secret_type: string;
  state: 'open' | 'resolved';
  resolution: string | null;
  resolved_by: string | null;
  push_protection_bypassed: boolean;
  push_protection_bypassed_by: string | null;
  push_protection_bypassed_at: Date | string | null;
  validity: string | null;
  publicly_leaked: boolean;
  html_url: string;
  updated_at: Date | string;
}

const ALERT_COLUMNS = `id, credential_id, installation_id, repo_id, repo, number, secret_type, state, resolution,
  resolved_by, push_protection_bypassed, push_protection_bypassed_by, push_protection_bypassed_at, validity,
  publicly_leaked, html_url, updated_at`;

function toAlert(row: AlertRow): StoredAlert {
  return {
    id: Number(row.id),
    credentialId: Number(row.credential_id),
    installationId: Number(row.installation_id),
    repoId: Number(row.repo_id),
    repo: row.repo,
    number: Number(row.number),
    secretType: row.secret_type,
    state: row.state,
    resolution: row.resolution,
    resolvedBy: row.resolved_by,
    pushProtectionBypassed: row.push_protection_bypassed,
    pushProtectionBypassedBy: row.push_protection_bypassed_by,
    pushProtectionBypassedAt:
      row.push_protection_bypassed_at === null ? null : new Date(row.push_protection_bypassed_at),
    validity: row.validity,
    publiclyLeaked: row.publicly_leaked,
    htmlUrl: row.html_url,
    updatedAt: new Date(row.updated_at),
  };
}

/**
 * Upserts the credential an alert's secret is, by fingerprint: a new one starts `detected` with a
 * `detected` audit event (source `alert`); a known one (say, found by a push) gets `last_seen` moved.
 */
export async function upsertAlertCredential(
  tx: Queryable,
  credential: AlertCredential,
  detected: { repo: string; alertNumber: number; secretType: string; actor: string },
): Promise<{ id: number; created: boolean }> {
  const inserted = await tx.query<{ id: unknown }>(
    `INSERT INTO credentials (fingerprint, provider, rule_id, class, severity, redacted)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (fingerprint) DO NOTHING
     RETURNING id`,
    [
      credential.fingerprint,
      credential.provider,
      credential.ruleId,
      credential.class,
      credential.severity,
      credential.redacted,
    ],
  );
  if (inserted.rows[0]) {
    const id = Number(inserted.rows[0].id);
    await tx.query(
      `INSERT INTO events (credential_id, kind, actor, data) VALUES ($1, 'detected', $2, $3::jsonb)`,
      [
        id,
        detected.actor,
        JSON.stringify({
          ruleId: credential.ruleId,
          source: 'alert',
          repo: detected.repo,
          alert: detected.alertNumber,
          secretType: detected.secretType,
        }),
      ],
    );
    return { id, created: true };
  }
  const updated = await tx.query<{ id: unknown }>(
    'UPDATE credentials SET last_seen = now() WHERE fingerprint = $1 RETURNING id',
    [credential.fingerprint],
  );
  if (!updated.rows[0]) throw new Error(`credential ${credential.redacted} vanished while being recorded`);
  return { id: Number(updated.rows[0].id), created: false };
}

/** The stored alert of a repository, locked for the transaction when `lock` is set. */
export async function findAlert(
  db: Queryable,
  repoId: number,
  number: number,
  options: { lock?: boolean } = {},
): Promise<StoredAlert | undefined> {
  const { rows } = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE repo_id = $1 AND number = $2${options.lock ? ' FOR UPDATE' : ''}`,
    [repoId, number],
  );
  return rows[0] ? toAlert(rows[0]) : undefined;
}

/**
 * Writes the alert as GitHub has it now, unless the stored copy is newer (`updated_at`): an older read
 * (a slow job, an old page of a sweep) never overwrites a newer one. Resolves to the stored alert.
 */
export async function saveAlert(
  tx: Queryable,
  credentialId: number,
  place: AlertPlace,
  alert: Omit<SecretScanningAlert, 'secret'>,
): Promise<StoredAlert> {
  const { rows } = await tx.query<AlertRow>(
    `INSERT INTO alerts (credential_id, installation_id, repo_id, repo, number, secret_type, state, resolution,
        resolved_by, resolved_at, push_protection_bypassed, push_protection_bypassed_by,
        push_protection_bypassed_at, validity, publicly_leaked, html_url, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (repo_id, number) DO UPDATE SET
       credential_id = EXCLUDED.credential_id, installation_id = EXCLUDED.installation_id,
       repo = EXCLUDED.repo, secret_type = EXCLUDED.secret_type, state = EXCLUDED.state,
       resolution = EXCLUDED.resolution, resolved_by = EXCLUDED.resolved_by, resolved_at = EXCLUDED.resolved_at,
       push_protection_bypassed = EXCLUDED.push_protection_bypassed,
       push_protection_bypassed_by = EXCLUDED.push_protection_bypassed_by,
       push_protection_bypassed_at = EXCLUDED.push_protection_bypassed_at,
       validity = EXCLUDED.validity, publicly_leaked = EXCLUDED.publicly_leaked,
       html_url = EXCLUDED.html_url, updated_at = EXCLUDED.updated_at, synced_at = now()
     WHERE alerts.updated_at <= EXCLUDED.updated_at
     RETURNING ${ALERT_COLUMNS}`,
    [
      credentialId,
      place.installationId,
      place.repoId,
      place.repo,
      alert.number,
      alert.secretType,
      alert.state,
      alert.resolution,
      alert.resolvedBy,
      alert.resolvedAt,
      alert.pushProtectionBypassed,
      alert.pushProtectionBypassedBy,
      alert.pushProtectionBypassedAt,
      alert.validity,
      alert.publiclyLeaked,
      alert.htmlUrl,
      alert.createdAt,
      alert.updatedAt,
    ],
  );
  if (rows[0]) return toAlert(rows[0]);
  const stored = await findAlert(tx, place.repoId, alert.number);
  if (!stored) throw new Error(`alert ${place.repo}#${alert.number} vanished while being recorded`);
  return stored;
}

/**
 * The commit locations of an alert as exposures (source `alert`), unless the credential was already seen
 * at that repository, commit, path and line (a push of the same key). Resolves to how many are new.
 */
export async function insertAlertExposures(
  tx: Queryable,
  credentialId: number,
  place: AlertPlace,
  locations: readonly AlertLocation[],
): Promise<number> {
  let added = 0;
  for (const location of locations) {
    if (location.kind !== 'commit' || !('commitSha' in location)) continue;
    const { rows } = await tx.query(
      `INSERT INTO exposures (credential_id, repo_id, repo, commit_sha, path, line, col, blob_sha, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'alert')
       ON CONFLICT (credential_id, repo_id, commit_sha, path, line) DO NOTHING
       RETURNING id`,
      [
        credentialId,
        place.repoId,
        place.repo,
        location.commitSha,
        location.path,
        location.startLine,
        location.startColumn,
        location.blobSha || null,
      ],
    );
    added += rows.length;
  }
  return added;
}

/** The places outside the code an alert was seen in; resolves to how many are new. */
export async function insertOtherLocations(
  tx: Queryable,
  alertId: number,
  locations: readonly AlertLocation[],
): Promise<number> {
  let added = 0;
  for (const location of locations) {
    if (!('url' in location)) continue;
    const { rows } = await tx.query(
      `INSERT INTO alert_locations (alert_id, kind, url) VALUES ($1, $2, $3)
       ON CONFLICT (alert_id, kind, url) DO NOTHING RETURNING alert_id`,
      [alertId, location.kind, location.url],
    );
    added += rows.length;
  }
  return added;
}

/** Whether the repository has suppressed this fingerprint (`/keywarden false-positive` or `test-credential`). */
export async function isSuppressed(db: Queryable, repoId: number, fingerprint: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM suppressions WHERE repo_id = $1 AND fingerprint = $2', [
    repoId,
    fingerprint,
  ]);
  return rows.length > 0;
}

/** The alerts of a credential, oldest first, with their places outside the code. */
export async function alertsOf(
  db: Queryable,
  credentialId: number,
): Promise<Array<StoredAlert & { otherLocations: OtherLocation[] }>> {
  const { rows } = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts WHERE credential_id = $1 ORDER BY created_at, id`,
    [credentialId],
  );
  const alerts = rows.map(toAlert);
  if (alerts.length === 0) return [];
  const { rows: places } = await db.query<{ alert_id: unknown; kind: string; url: string }>(
    `SELECT alert_id, kind, url FROM alert_locations WHERE alert_id = ANY($1::bigint[]) ORDER BY first_seen, url`,
    [alerts.map((alert) => alert.id)],
  );
  return alerts.map((alert) => ({
    ...alert,
    otherLocations: places
      .filter((place) => Number(place.alert_id) === alert.id)
      .map((place) => ({ kind: place.kind, url: place.url })),
  }));
}

/** Records that keywarden resolved an alert (so the webhook GitHub sends about it changes nothing). */
export async function markResolved(
  db: Queryable,
  alertId: number,
  alert: Pick<SecretScanningAlert, 'resolution' | 'resolvedBy' | 'resolvedAt' | 'updatedAt'>,
): Promise<void> {
  await db.query(
    `UPDATE alerts SET state = 'resolved', resolution = $2, resolved_by = $3, resolved_at = $4,
        updated_at = GREATEST(updated_at, $5::timestamptz), synced_at = now()
      WHERE id = $1`,
    [alertId, alert.resolution, alert.resolvedBy, alert.resolvedAt, alert.updatedAt],
  );
}

/** When each of these alerts was last changed on GitHub, as stored (`repoId:number` → time). */
export async function storedVersions(
  db: Queryable,
  alerts: ReadonlyArray<{ repoId: number; number: number }>,
): Promise<Map<string, number>> {
  if (alerts.length === 0) return new Map();
  const { rows } = await db.query<{ repo_id: unknown; number: unknown; updated_at: Date | string }>(
    `SELECT a.repo_id, a.number, a.updated_at FROM alerts a
       JOIN unnest($1::bigint[], $2::int[]) AS wanted (repo_id, number)
         ON a.repo_id = wanted.repo_id AND a.number = wanted.number`,
    [alerts.map((alert) => alert.repoId), alerts.map((alert) => alert.number)],
  );
  return new Map(
    rows.map((row) => [`${Number(row.repo_id)}:${Number(row.number)}`, new Date(row.updated_at).getTime()]),
  );
}

/** The stored ETag of an organisation's first page, if it was saved for this same query. */
export async function sweepEtag(db: Queryable, org: string, query: string): Promise<string | undefined> {
  const { rows } = await db.query<{ etag: string | null }>(
    'SELECT etag FROM alert_sweeps WHERE org = $1 AND query = $2',
    [org.toLowerCase(), query],
  );
  return rows[0]?.etag ?? undefined;
}

/** Saves the ETag of an organisation's first page after a complete sweep. */
export async function saveSweep(
  db: Queryable,
  sweep: { org: string; installationId: number; query: string; etag: string | undefined },
): Promise<void> {
  await db.query(
    `INSERT INTO alert_sweeps (org, installation_id, query, etag) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org) DO UPDATE SET installation_id = EXCLUDED.installation_id, query = EXCLUDED.query,
       etag = EXCLUDED.etag, swept_at = now()`,
    [sweep.org.toLowerCase(), sweep.installationId, sweep.query, sweep.etag ?? null],
  );
}
