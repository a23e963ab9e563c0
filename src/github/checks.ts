import type { Severity } from '../rules/types.js';
import { ANNOTATIONS_PER_REQUEST, type Annotation, annotationsFor } from './check-annotations.js';
import { type CheckReport, checkSummary, checkTitle } from './check-summary.js';
import { failsThreshold } from './severity.js';
import type { Octokit, RepoRef } from './types.js';

export type { Annotation } from './check-annotations.js';
export type { CheckReport } from './check-summary.js';

/**
 * The `keywarden` check run of a head sha: created `in_progress` when a scan starts, completed with the
 * verdict, a summary and annotations on the exact lines.
 */

export const CHECK_NAME = 'keywarden';

/** `failure` when any finding reaches the threshold, `success` otherwise. */
export function conclusionFor(findings: CheckReport['findings'], threshold: Severity): 'failure' | 'success' {
  return findings.some((finding) => failsThreshold(finding, threshold)) ? 'failure' : 'success';
}

/**
 * Creates the `keywarden` check run on `headSha` and returns its id: `in_progress`, or, given the
 * `report` of a scan that is already done, straight away complete (one request instead of two when
 * there are at most 50 annotations; with more, created in progress with the first batch and completed
 * as `completeCheckRun` does). `externalId` (default: the head sha) ties the run to what was scanned.
 */
export async function createCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  headSha: string,
  options: { externalId?: string; report?: CheckReport } = {},
): Promise<number> {
  const { report } = options;
  const base = { ...repo, name: CHECK_NAME, head_sha: headSha, external_id: options.externalId ?? headSha };
  if (!report) {
    const { data } = await octokit.rest.checks.create({
      ...base,
      status: 'in_progress',
      started_at: timestamp(),
    });
    return data.id;
  }
  const output = outputOf(report);
  const [first, ...rest] = batchesOf(annotationsFor(report.findings, report.threshold));
  const state =
    rest.length === 0
      ? ({
          status: 'completed',
          conclusion: conclusionFor(report.findings, report.threshold),
          completed_at: timestamp(),
        } as const)
      : ({ status: 'in_progress' } as const);
  const { data } = await octokit.rest.checks.create({
    ...base,
    ...state,
    started_at: timestamp(),
    output: first ? { ...output, annotations: first } : output,
  });
  if (rest.length > 0) await sendAndComplete(octokit, repo, data.id, report, rest);
  return data.id;
}

/**
 * Completes a check run with the report. GitHub takes 50 annotations per request and appends them
 * across updates, so the order is: every batch but the last in an update that leaves the run as it is
 * (`in_progress`), then one update that completes it with the conclusion and the last batch. A run is
 * never shown complete with annotations still missing; if a request fails, the run stays in progress and
 * the job's retry sends it again. Annotations the run already has (a retry, or a second scan of the same
 * head reusing the run) are not sent twice.
 */
export async function completeCheckRun(
  octokit: Octokit,
  repo: RepoRef,
  checkRunId: number,
  report: CheckReport,
): Promise<void> {
  const annotations = annotationsFor(report.findings, report.threshold);
  const fresh = await withoutExisting(octokit, repo, checkRunId, annotations);
  await sendAndComplete(octokit, repo, checkRunId, report, batchesOf(fresh));
}

async function sendAndComplete(
  octokit: Octokit,
  repo: RepoRef,
  checkRunId: number,
  report: CheckReport,
  batches: Annotation[][],
): Promise<void> {
  const output = outputOf(report);
  const last = batches.at(-1);
  for (const batch of batches.slice(0, -1)) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: checkRunId,
      output: { ...output, annotations: batch },
    });
  }
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: conclusionFor(report.findings, report.threshold),
    completed_at: timestamp(),
    output: last ? { ...output, annotations: last } : output,
  });
}

function outputOf(report: CheckReport): { title: string; summary: string } {
  return { title: checkTitle(report), summary: checkSummary(report) };
}

function batchesOf(annotations: Annotation[]): Annotation[][] {
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  return batches;
}

/** Drops annotations the run already carries; costs one listing, and only when there is anything to add. */
async function withoutExisting(
  octokit: Octokit,
  repo: RepoRef,
  checkRunId: number,
  annotations: Annotation[],
): Promise<Annotation[]> {
  if (annotations.length === 0) return annotations;
  const existing = new Set<string>();
  for await (const page of octokit.paginate.iterator(octokit.rest.checks.listAnnotations, {
    ...repo,
    check_run_id: checkRunId,
    per_page: 100,
  })) {
    for (const a of page.data) existing.add(annotationKey(a));
  }
  return annotations.filter((a) => !existing.has(annotationKey(a)));
}

function annotationKey(a: {
  path: string;
  start_line: number;
  end_line: number;
  message: string | null;
}): string {
  return `${a.path}\n${a.start_line}\n${a.end_line}\n${a.message ?? ''}`;
}

/** ISO 8601 without milliseconds, as GitHub documents it (`YYYY-MM-DDTHH:MM:SSZ`). */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
