import type { Context } from 'probot';
import { mappedSecretType } from '../alerts/secret-types.js';
import type { SyncAlertJob } from '../queue/jobs.js';
import { type AppDeps, enqueueOnce } from './enqueue.js';

/**
 * `secret_scanning_alert` (created, reopened, resolved, validated, publicly_leaked, assigned, unassigned)
 * and `secret_scanning_alert_location` (created): a `sync-alert` job that reads the alert again from
 * GitHub (the payload never carries the secret, and the alert may have changed since). Alerts of a
 * `secret_type` keywarden does not govern are ignored here, with no job. One job per delivery: several
 * deliveries about one alert each sync it (the sync is idempotent, and an alert row lock orders them).
 */
export async function onSecretScanningAlert(
  context: Context<'secret_scanning_alert'> | Context<'secret_scanning_alert_location'>,
  deps: AppDeps,
): Promise<void> {
  const { payload } = context;
  const { alert, repository } = payload;
  if (!mappedSecretType(alert.secret_type ?? '')) {
    context.log.debug(
      { delivery: context.id, secretType: alert.secret_type },
      'secret scanning alert ignored: not an AI secret type',
    );
    return;
  }
  if (!alert.number) {
    context.log.warn({ delivery: context.id }, 'secret scanning alert without a number: ignored');
    return;
  }
  if (!payload.installation) {
    context.log.warn({ delivery: context.id }, 'secret scanning alert without an installation: ignored');
    return;
  }
  const action = context.name === 'secret_scanning_alert_location' ? 'location' : payload.action;
  const job: SyncAlertJob = {
    installationId: payload.installation.id,
    owner: repository.owner.login,
    repo: repository.name,
    repoId: repository.id,
    alertNumber: alert.number,
    action,
    sender: payload.sender?.login ?? 'github',
    deliveryId: context.id,
  };
  await enqueueOnce(deps, context, 'sync-alert', job, `sync-alert:${context.id}`);
}
