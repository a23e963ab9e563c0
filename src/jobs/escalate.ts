import { durationMs, type KeywardenConfig } from '../config/schema.js';
import { loadRepoConfig } from '../github/config.js';
import { statusOf } from '../github/errors.js';
import type { RepoRef } from '../github/types.js';
import {
  claimEscalationSteps,
  dueSteps,
  type EscalationCandidate,
  type EscalationStep,
  listEscalationCandidates,
  releaseEscalationSteps,
} from '../inventory/escalations.js';
import { recordEvent } from '../inventory/store.js';
import { errorMessage } from '../queue/errors.js';
import type { JobDeps, Octokit } from './deps.js';
import { repositoryOctokit } from './installation.js';

/** The label an overdue remediation issue gets at its first escalation. */
export const OVERDUE_LABEL = 'overdue';

/** What one sweep did. */
export interface EscalationSweep {
  /** Steps taken, in order (a credential first seen at twice its deadline takes both at once). */
  escalated: Array<{ credentialId: number; step: EscalationStep }>;
  /** Credentials skipped because keywarden is not installed on their issue's repository. */
  skipped: number;
  /** Credentials whose escalation failed (logged; their steps were given back for the next sweep). */
  failed: number;
}

/** What a sweep needs of an issue repository, looked up once per sweep. */
interface IssueRepository {
  octokit: Octokit;
  config: KeywardenConfig;
}

/**
 * The scheduled SLA sweep (`escalate-overdue`, every 5 minutes from `keywarden serve`). For each
 * credential whose issue is open past its severity's deadline (`sla` in the issue repository's
 * `.github/keywarden.yml`, default branch): step 1 adds the `overdue` label and comments with the
 * deadline, mentioning the security team (`issues.securityTeam`); step 2, at twice the deadline, comments
 * again, more urgently. Each step happens once per notification whatever the number of sweeps, processes
 * or restarts (see `src/inventory/escalations.ts`). The installation comes from the App
 * (`apps.getRepoInstallation`); config and installation are looked up once per repository per sweep.
 * A credential whose GitHub calls fail is logged and counted, its steps given back, and the sweep goes
 * on; a failure to read the database is thrown.
 */
export async function escalateOverdue(deps: JobDeps): Promise<EscalationSweep> {
  const sweep: EscalationSweep = { escalated: [], skipped: 0, failed: 0 };
  const candidates = await listEscalationCandidates(deps.db);
  if (candidates.length === 0) return sweep;

  const repositories = new Map<string, Promise<IssueRepository | undefined>>();
  for (const candidate of candidates) {
    const key = `${candidate.issueRepo.owner}/${candidate.issueRepo.repo}`.toLowerCase();
    let lookup = repositories.get(key);
    if (!lookup) {
      lookup = issueRepository(deps, candidate.issueRepo);
      // A rejected lookup is reported per candidate below; keep it from surfacing as unhandled.
      lookup.catch(() => undefined);
      repositories.set(key, lookup);
    }
    try {
      const repository = await lookup;
      if (!repository) {
        sweep.skipped++;
        continue;
      }
      const steps = await escalate(deps, candidate, repository);
      for (const step of steps) sweep.escalated.push({ credentialId: candidate.credentialId, step });
    } catch (error) {
      sweep.failed++;
      deps.log.warn(
        {
          credentialId: candidate.credentialId,
          issue: `${key}#${candidate.issueNumber}`,
          status: statusOf(error),
          error: errorMessage(error),
        },
        'escalation failed',
      );
    }
  }
  return sweep;
}

/** Claims and takes the steps due for one credential; the steps taken. */
async function escalate(
  deps: JobDeps,
  candidate: EscalationCandidate,
  repository: IssueRepository,
): Promise<EscalationStep[]> {
  const sla = repository.config.sla[candidate.severity];
  const due = dueSteps(candidate.ageMs, durationMs(sla), candidate.taken);
  if (due.length === 0) return [];
  const claimed = await claimEscalationSteps(deps.db, candidate.credentialId, due, candidate.notifiedAt);
  if (claimed.length === 0) return [];

  const issue = { ...candidate.issueRepo, issue_number: candidate.issueNumber };
  const step = claimed[claimed.length - 1]!;
  try {
    // The label first: adding it twice is harmless, a comment twice is not.
    await repository.octokit.rest.issues.addLabels({ ...issue, labels: [OVERDUE_LABEL] });
    await repository.octokit.rest.issues.createComment({
      ...issue,
      body: escalationComment(step, candidate, sla, repository.config.issues.securityTeam),
    });
  } catch (error) {
    // A deleted or transferred issue will not come back: keep the claim rather than retry forever.
    const status = statusOf(error);
    if (status !== 404 && status !== 410)
      await releaseEscalationSteps(deps.db, candidate.credentialId, claimed);
    throw error;
  }

  for (const taken of claimed) {
    await recordEvent(deps.db, {
      credentialId: candidate.credentialId,
      kind: 'escalated',
      actor: 'keywarden',
      reason: `open past ${taken === 1 ? 'its' : 'twice its'} ${sla} deadline (sla.${candidate.severity})`,
      data: { step: taken, severity: candidate.severity, sla, ageMs: Math.round(candidate.ageMs) },
    });
  }
  deps.log.info(
    { credentialId: candidate.credentialId, step, severity: candidate.severity, sla },
    'credential escalated',
  );
  return claimed;
}

/** The installation Octokit and config of an issue repository; `undefined` when the App is not installed there. */
async function issueRepository(deps: JobDeps, repo: RepoRef): Promise<IssueRepository | undefined> {
  const octokit = await repositoryOctokit(deps, repo);
  if (!octokit) {
    deps.log.warn(
      { repo: `${repo.owner}/${repo.repo}` },
      'escalation skipped: app not installed on the issue repository',
    );
    return undefined;
  }
  // An empty ref reads the default branch: the config plugin leaves `ref` out.
  const { config, error } = await loadRepoConfig(octokit, repo, '');
  if (error)
    deps.log.debug({ repo: `${repo.owner}/${repo.repo}`, error }, 'escalation uses the default config');
  return { octokit, config };
}

/**
 * The escalation comment of `step`. Says how long the issue has been open, the deadline and where it is
 * set, mentions the security team when one is configured, and what to do next.
 */
export function escalationComment(
  step: EscalationStep,
  candidate: Pick<EscalationCandidate, 'severity' | 'state' | 'ageMs' | 'fingerprint'>,
  sla: string,
  securityTeam: string | undefined,
): string {
  const open = formatAge(candidate.ageMs);
  const where = `\`sla.${candidate.severity}\` in \`.github/keywarden.yml\``;
  const nobody =
    'No security team is configured (`issues.securityTeam` in `.github/keywarden.yml`), so nobody else was notified.';
  const next =
    candidate.state === 'confirmed'
      ? 'Revoke the key at the provider (see the checklist above), then record it here with `/keywarden revoke`.'
      : 'Revoke the key at the provider (see the checklist above), then record it here: `/keywarden confirm` and ' +
        '`/keywarden revoke`, or `/keywarden false-positive <reason>` if it is not a live credential.';
  const marker = `<!-- keywarden:escalation ${candidate.fingerprint} step ${step} -->`;
  if (step === 1) {
    return [
      marker,
      '### Overdue',
      '',
      `This ${candidate.severity} credential has been open for ${open}, past its deadline of ${sla} (${where}).`,
      '',
      securityTeam ? `${securityTeam}, this needs your attention.` : nobody,
      '',
      `${next} If nothing changes, keywarden escalates again at twice the deadline.`,
    ].join('\n');
  }
  return [
    marker,
    '### Escalated: twice the deadline',
    '',
    `This ${candidate.severity} credential has been open for ${open}, more than twice its deadline of ${sla} (${where}). ` +
      'Treat the key as compromised until it is revoked.',
    '',
    securityTeam ? `${securityTeam}: this needs action now.` : nobody,
    '',
    next,
  ].join('\n');
}

/** `1 day 2 hours`, `5 hours 3 minutes`, `12 minutes`: the two largest units. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const units: Array<[number, string]> = [
    [Math.floor(minutes / 1440), 'day'],
    [Math.floor((minutes % 1440) / 60), 'hour'],
    [minutes % 60, 'minute'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first === -1) return 'less than a minute';
  return units
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}${value === 1 ? '' : 's'}`)
    .join(' ');
}
