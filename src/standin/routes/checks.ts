import { notFound, paginate, type Reply, type Route, type RouteContext, unprocessable } from '../http.js';
import { checkRunJson } from '../shapes.js';
import type { Annotation, CheckRunState, RepoState } from '../state.js';

const STATUSES = ['queued', 'in_progress', 'completed'];
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
];
const LEVELS = ['notice', 'warning', 'failure'];
const TEXT_LIMIT = 65535;

type Body = Record<string, unknown>;

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** GitHub's checks validation: enums, output fields, annotation count, fields and line ranges. */
function validate(body: Body, creating: boolean, limit: number): string | undefined {
  if (creating && (typeof body.name !== 'string' || body.name === '')) return 'name is missing';
  if (creating && typeof body.head_sha !== 'string') return 'head_sha is missing';
  if (body.status !== undefined && !STATUSES.includes(String(body.status)))
    return `Invalid status: ${String(body.status)}`;
  if (body.conclusion !== undefined && !CONCLUSIONS.includes(String(body.conclusion))) {
    return `Invalid conclusion: ${String(body.conclusion)}`;
  }
  if (body.status === 'completed' && body.conclusion === undefined)
    return 'conclusion is required when status is completed';
  if (body.output === undefined) return undefined;
  const output = body.output as Body;
  if (typeof output !== 'object' || output === null) return 'output must be an object';
  if (creating && typeof output.title !== 'string') return 'output.title is missing';
  if (typeof output.summary !== 'string') return 'output.summary is missing';
  if (output.summary.length > TEXT_LIMIT)
    return `output.summary is too long (maximum is ${TEXT_LIMIT} characters)`;
  if (typeof output.text === 'string' && output.text.length > TEXT_LIMIT) {
    return `output.text is too long (maximum is ${TEXT_LIMIT} characters)`;
  }
  const annotations = (output.annotations ?? []) as Body[];
  if (!Array.isArray(annotations)) return 'output.annotations must be an array';
  if (annotations.length > limit) return `output.annotations has more than ${limit} items`;
  for (const [i, a] of annotations.entries()) {
    for (const field of ['path', 'start_line', 'end_line', 'annotation_level', 'message']) {
      if (a[field] === undefined) return `output.annotations[${i}].${field} is missing`;
    }
    if (!LEVELS.includes(String(a.annotation_level)))
      return `output.annotations[${i}].annotation_level is not one of ${LEVELS}`;
    if (Number(a.start_line) > Number(a.end_line))
      return `output.annotations[${i}]: start_line is after end_line`;
    const columns = a.start_column !== undefined || a.end_column !== undefined;
    if (columns && a.start_line !== a.end_line) {
      return `output.annotations[${i}]: start_column and end_column are only allowed when start_line equals end_line`;
    }
  }
  return undefined;
}

/** Applies a create or update body to a run: status, conclusion, times, output; annotations accumulate. */
function apply(run: CheckRunState, body: Body): void {
  if (typeof body.name === 'string') run.name = body.name;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url as string | null;
  if (body.external_id !== undefined) run.externalId = body.external_id as string | null;
  if (typeof body.started_at === 'string') run.startedAt = body.started_at;
  if (typeof body.status === 'string') run.status = body.status as CheckRunState['status'];
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed')
    run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : (run.completedAt ?? now());
  const output = body.output as Body | undefined;
  if (!output) return;
  if (typeof output.title === 'string') run.output.title = output.title;
  if (typeof output.summary === 'string') run.output.summary = output.summary;
  if (typeof output.text === 'string') run.output.text = output.text;
  for (const annotation of (output.annotations ?? []) as Annotation[])
    run.output.annotations.push(annotation);
}

function findRun(context: RouteContext, repo: RepoState): CheckRunState | undefined {
  const run = context.state.checkRuns.get(Number(context.params.check_run_id));
  return run && run.repo === repo.fullName ? run : undefined;
}

/** `POST /repos/{owner}/{repo}/check-runs`. */
export const createCheckRun: Route = {
  method: 'POST',
  template: '/repos/{owner}/{repo}/check-runs',
  operation: 'checks/create',
  access: 'repo',
  handle(context, repo): Reply {
    const body = (context.body ?? {}) as Body;
    const problem = validate(body, true, context.state.limits.annotationsPerRequest);
    if (problem) return unprocessable(problem);
    const headSha = String(body.head_sha);
    if (!repo!.git.commits.has(headSha)) return unprocessable(`No commit found for SHA: ${headSha}`);
    const suiteKey = `${repo!.fullName}@${headSha}`;
    let suiteId = context.state.suites.get(suiteKey);
    if (suiteId === undefined) {
      suiteId = context.state.nextId();
      context.state.suites.set(suiteKey, suiteId);
    }
    const run: CheckRunState = {
      id: context.state.nextId(),
      repo: repo!.fullName,
      headSha,
      name: String(body.name),
      status: 'queued',
      conclusion: null,
      startedAt: now(),
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      suiteId,
      appId: context.caller.kind === 'anonymous' ? null : context.caller.appId,
      output: { title: null, summary: null, text: null, annotations: [] },
    };
    apply(run, body);
    context.state.checkRuns.set(run.id, run);
    return { status: 201, body: checkRunJson(context.state, repo!, run) };
  },
};

/** `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`: output replaced, annotations appended. */
export const updateCheckRun: Route = {
  method: 'PATCH',
  template: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
  operation: 'checks/update',
  access: 'repo',
  handle(context, repo) {
    const run = findRun(context, repo!);
    if (!run) return notFound();
    const body = (context.body ?? {}) as Body;
    const problem = validate(body, false, context.state.limits.annotationsPerRequest);
    if (problem) return unprocessable(problem);
    apply(run, body);
    return { status: 200, body: checkRunJson(context.state, repo!, run) };
  },
};

/** `GET /repos/{owner}/{repo}/check-runs/{check_run_id}`. */
export const getCheckRun: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
  operation: 'checks/get',
  access: 'repo',
  handle(context, repo) {
    const run = findRun(context, repo!);
    return run ? { status: 200, body: checkRunJson(context.state, repo!, run) } : notFound();
  },
};

/** `GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations`: 30 per page by default. */
export const listCheckRunAnnotations: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
  operation: 'checks/list-annotations',
  access: 'repo',
  handle(context, repo) {
    const run = findRun(context, repo!);
    if (!run) return notFound();
    const page = paginate(context, run.output.annotations);
    const items = page.items.map((a) => ({
      path: a.path,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column ?? null,
      end_column: a.end_column ?? null,
      annotation_level: a.annotation_level,
      title: a.title ?? null,
      message: a.message,
      raw_details: a.raw_details ?? null,
      blob_href: `${context.state.web}/${repo!.fullName}/blob/${run.headSha}/${a.path}`,
    }));
    return { status: 200, body: items, headers: page.headers };
  },
};

/**
 * `GET /repos/{owner}/{repo}/commits/{ref}/check-runs`: newest first; `filter=latest` (the default)
 * keeps the most recent run of each name; `check_name` and `status` filter.
 */
export const listCheckRunsForRef: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
  operation: 'checks/list-for-ref',
  access: 'repo',
  handle(context, repo) {
    const ref = context.params.ref!;
    const sha = repo!.git.resolve(ref, repo!.repo.defaultBranch);
    if (!sha) return unprocessable(`No commit found for SHA: ${ref}`);
    const { check_name: name, status, filter = 'latest' } = context.query;
    let runs = [...context.state.checkRuns.values()]
      .filter((run) => run.repo === repo!.fullName && run.headSha === sha)
      .filter((run) => name === undefined || run.name === name)
      .filter((run) => status === undefined || run.status === status)
      .sort((a, b) => b.id - a.id);
    if (filter === 'latest') {
      const seen = new Set<string>();
      runs = runs.filter((run) => !seen.has(run.name) && seen.add(run.name) !== undefined);
    }
    const page = paginate(context, runs);
    return {
      status: 200,
      body: {
        total_count: runs.length,
        check_runs: page.items.map((run) => checkRunJson(context.state, repo!, run)),
      },
      headers: page.headers,
    };
  },
};
