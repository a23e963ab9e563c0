import { describe, expect, it } from 'vitest';
import { type GithubMock, requestsContaining, useGithub } from '../../test/support/github.js';
import { openapiExample } from '../../test/support/openapi.js';
import { scanText } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { allRules } from '../rules/registry.js';
import { type CheckReport, completeCheckRun, conclusionFor, createCheckRun } from './checks.js';
import type { Octokit } from './types.js';

const repo = { owner: 'octo', repo: 'hello' };
const HEAD = 'ce587453ced02b1526dfb4cb910479d431683101';
const RUN = '/repos/octo/hello/check-runs/4';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const rule = (id: string) => allRules.find((r) => r.id === id)!;

/** Real findings: each rule's first positive example on its own line of one file. */
function findingsOf(
  ids: readonly string[],
  path = 'config/.env',
): { findings: Finding[]; secrets: string[] } {
  const examples = ids.map((id) => rule(id).examples().positive[0]!);
  const findings = scanText(examples.map((e) => e.text).join('\n'), allRules, {
    path,
    fingerprintKey: 'test-key',
  });
  return { findings, secrets: examples.map((e) => e.secret) };
}

/** `n` findings of one rule on lines 1..n. */
function manyFindings(n: number): { findings: Finding[]; secrets: string[] } {
  const secrets = Array.from({ length: n }, (_, i) => rule('openai.project-key').sample(`many-${i}`));
  const text = secrets.map((s) => `OPENAI_API_KEY=${s}`).join('\n');
  return { findings: scanText(text, allRules, { path: 'keys.env', fingerprintKey: 'test-key' }), secrets };
}

function checkRunReply(status: string, conclusion: string | null): Record<string, unknown> {
  return {
    ...openapiExample('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'),
    id: 4,
    status,
    conclusion,
  };
}

interface SentAnnotation {
  annotation_level: string;
  start_line: number;
}

/** The JSON bodies sent with `method` to repository endpoints, in order. */
function bodies(gh: GithubMock, method: string) {
  return gh
    .recordedRequests()
    .filter((r) => r.method === method && r.path.startsWith('/repos/'))
    .map(
      (r) =>
        JSON.parse(r.body!) as {
          status?: string;
          conclusion?: string;
          output: { title: string; summary: string; annotations: SentAnnotation[] };
          [key: string]: unknown;
        },
    );
}

describe('check runs', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  it('creates the keywarden check run in progress on the head sha', async () => {
    gh.api
      .post('/repos/octo/hello/check-runs')
      .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: 4 });

    const id = await createCheckRun(octokit, repo, HEAD);

    expect(id).toBe(4);
    const [body] = bodies(gh, 'POST');
    expect(body).toEqual({
      name: 'keywarden',
      head_sha: HEAD,
      status: 'in_progress',
      started_at: expect.stringMatching(TIMESTAMP),
      external_id: HEAD,
    });
  });

  it('creates the run already complete when the scan is done: one request for a clean push', async () => {
    gh.api
      .post('/repos/octo/hello/check-runs')
      .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: 4 });

    const id = await createCheckRun(octokit, repo, HEAD, {
      report: { findings: [], threshold: 'high', unscanned: [] },
    });

    expect(id).toBe(4);
    expect(bodies(gh, 'POST')).toEqual([
      {
        name: 'keywarden',
        head_sha: HEAD,
        external_id: HEAD,
        status: 'completed',
        conclusion: 'success',
        started_at: expect.stringMatching(TIMESTAMP),
        completed_at: expect.stringMatching(TIMESTAMP),
        output: { title: 'No AI credentials found', summary: expect.stringContaining('No AI credentials') },
      },
    ]);
  });

  it('creates the run in progress with the first 50 annotations, then completes it with the rest', async () => {
    const { findings } = manyFindings(60);
    gh.api
      .post('/repos/octo/hello/check-runs')
      .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: 4 });
    gh.api.patch(RUN).reply(200, checkRunReply('completed', 'failure'));

    await createCheckRun(octokit, repo, HEAD, { report: { findings, threshold: 'high', unscanned: [] } });

    const [created] = bodies(gh, 'POST');
    const [completed] = bodies(gh, 'PATCH');
    expect([created!.status, created!.conclusion, created!.output.annotations.length]).toEqual([
      'in_progress',
      undefined,
      50,
    ]);
    expect([completed!.status, completed!.conclusion, completed!.output.annotations.length]).toEqual([
      'completed',
      'failure',
      10,
    ]);
  });

  it('completes with success and no annotation request when nothing was found', async () => {
    gh.api.patch(RUN).reply(200, checkRunReply('completed', 'success'));

    await completeCheckRun(octokit, repo, 4, { findings: [], threshold: 'high', unscanned: [] });

    expect(bodies(gh, 'PATCH')).toEqual([
      {
        status: 'completed',
        conclusion: 'success',
        completed_at: expect.stringMatching(TIMESTAMP),
        output: {
          title: 'No AI credentials found',
          summary:
            'No AI credentials were found in the added lines. The check fails on findings of severity `high` or higher.\n',
        },
      },
    ]);
  });

  it('fails at the threshold, with annotations on the exact line and columns, never the secret', async () => {
    const { findings, secrets } = findingsOf([
      'openai.admin-key',
      'openai.project-key',
      'cerebras.api-key',
      'langfuse.public-key',
    ]);
    expect(findings.map((f) => f.severity)).toEqual(['critical', 'high', 'medium', 'low']);
    gh.api.get(`${RUN}/annotations`).query({ per_page: 100 }).reply(200, []);
    gh.api.patch(RUN).reply(200, checkRunReply('completed', 'failure'));

    await completeCheckRun(octokit, repo, 4, { findings, threshold: 'high', unscanned: [] });

    const [update] = bodies(gh, 'PATCH');
    expect(update!.conclusion).toBe('failure');
    expect(update!.output.title).toBe('4 AI credentials found (1 critical, 1 high, 1 medium, 1 low)');
    const project = findings[1]!;
    expect(update!.output.annotations[1]).toEqual({
      path: 'config/.env',
      start_line: 2,
      end_line: 2,
      start_column: project.column,
      end_column: project.column + secrets[1]!.length - 1,
      annotation_level: 'failure',
      title: `keywarden: ${project.title}`,
      message: `${project.title} (high, model-api): ${project.redacted}\nRevoke it at https://platform.openai.com/api-keys; removing the line does not remove it from the Git history.`,
      raw_details: `rule openai.project-key\nfingerprint ${project.fingerprint}`,
    });
    expect(update!.output.annotations.map((a) => a.annotation_level)).toEqual([
      'failure',
      'failure',
      'warning',
      'notice',
    ]);
    for (const secret of secrets) expect(requestsContaining(gh, secret)).toEqual([]);
  });

  it('passes when every finding is below the threshold', async () => {
    const { findings } = findingsOf(['cerebras.api-key']);
    gh.api.get(`${RUN}/annotations`).query({ per_page: 100 }).reply(200, []);
    gh.api.patch(RUN).reply(200, checkRunReply('completed', 'success'));

    await completeCheckRun(octokit, repo, 4, { findings, threshold: 'high', unscanned: [] });

    const [update] = bodies(gh, 'PATCH');
    expect(update!.conclusion).toBe('success');
    expect(update!.output.annotations[0]!.annotation_level).toBe('warning');
  });

  it('sends 50 annotations a request: batches while in progress, then completes with the last', async () => {
    const { findings, secrets } = manyFindings(120);
    gh.api.get(`${RUN}/annotations`).query({ per_page: 100 }).reply(200, []);
    gh.api.patch(RUN).times(3).reply(200, checkRunReply('in_progress', null));

    await completeCheckRun(octokit, repo, 4, { findings, threshold: 'high', unscanned: [] });

    const updates = bodies(gh, 'PATCH');
    expect(updates.map((u) => [u.status, u.conclusion, u.output.annotations.length])).toEqual([
      [undefined, undefined, 50],
      [undefined, undefined, 50],
      ['completed', 'failure', 20],
    ]);
    const lines = updates.flatMap((u) => u.output.annotations.map((a) => a.start_line));
    expect(lines).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    for (const secret of secrets) expect(requestsContaining(gh, secret)).toEqual([]);
  });

  it('resumes after a failed request without sending an annotation twice', async () => {
    const { findings } = manyFindings(60);
    const report: CheckReport = { findings, threshold: 'high', unscanned: [] };
    gh.api.get(`${RUN}/annotations`).query({ per_page: 100 }).reply(200, []);
    gh.api.patch(RUN).reply(200, checkRunReply('in_progress', null));
    gh.api.patch(RUN).reply(502, { message: 'Server Error' });
    const failure = await completeCheckRun(octokit, repo, 4, report).catch((e: unknown) => e);
    const sent = bodies(gh, 'PATCH')[0]!.output.annotations;
    gh.api
      .get(`${RUN}/annotations`)
      .query({ per_page: 100 })
      .reply(
        200,
        sent.map((a) => ({ ...a, blob_href: 'https://github.com/octo/hello/blob/x/keys.env' })),
      );
    gh.api.patch(RUN).reply(200, checkRunReply('completed', 'failure'));

    await completeCheckRun(octokit, repo, 4, report);

    expect(failure).toMatchObject({ status: 502 });
    const retried = bodies(gh, 'PATCH')[2]!;
    expect(retried.conclusion).toBe('failure');
    expect(retried.output.annotations.map((a) => a.start_line)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 51),
    );
  });

  it('keeps the summary within 65535 characters however much there is to say', async () => {
    const { findings } = manyFindings(150);
    const unscanned = Array.from({ length: 3000 }, (_, i) => ({
      path: `assets/${'deep/'.repeat(40)}image-${i}.png`,
      reason: `binary file ${i}: GitHub shows no text diff`,
    }));
    gh.api.get(`${RUN}/annotations`).query({ per_page: 100 }).reply(200, []);
    gh.api.patch(RUN).times(3).reply(200, checkRunReply('completed', 'failure'));

    await completeCheckRun(octokit, repo, 4, { findings, threshold: 'high', unscanned });

    const last = bodies(gh, 'PATCH').at(-1)!;
    expect(last.output.summary.length).toBeLessThanOrEqual(65535);
    expect(Buffer.byteLength(last.output.summary)).toBeLessThanOrEqual(65535);
    expect(last.output.summary).toMatch(
      /_The summary was cut here to fit GitHub’s limit; see the annotations for the findings\._\n$/,
    );
  });
});

describe('conclusionFor', () => {
  it('fails exactly when a finding reaches the threshold', () => {
    const { findings } = findingsOf(['cerebras.api-key']);

    expect(conclusionFor(findings, 'medium')).toBe('failure');
    expect(conclusionFor(findings, 'high')).toBe('success');
    expect(conclusionFor([], 'low')).toBe('success');
  });
});

describe('the summary', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  async function summaryOf(report: CheckReport): Promise<string> {
    if (report.findings.length > 0) gh.api.get(`${RUN}/annotations`).query({ per_page: 100 }).reply(200, []);
    gh.api.patch(RUN).reply(200, checkRunReply('completed', 'success'));
    await completeCheckRun(octokit, repo, 4, report);
    return bodies(gh, 'PATCH')[0]!.output.summary;
  }

  it('tables findings by provider and class, lists them, and says how to suppress a false positive', async () => {
    const { findings } = findingsOf(['openai.admin-key', 'openai.project-key', 'cerebras.api-key']);

    const summary = await summaryOf({ findings, threshold: 'critical', unscanned: [] });

    const [admin, project, cerebras] = findings;
    expect(summary).toBe(
      [
        '**3 AI credentials found** in the added lines. The check fails on findings of severity `critical` or higher. 1 finding at or above the threshold, so this check fails.',
        '',
        '| Provider | Class | Findings | Highest severity |',
        '| --- | --- | ---: | --- |',
        '| openai | model-api | 2 | critical |',
        '| cerebras | inference | 1 | medium |',
        '',
        '### Findings',
        '',
        '| Where | Credential | Severity | Preview |',
        '| --- | --- | --- | --- |',
        `| \`config/.env:1\` | ${admin!.title} | critical | \`${admin!.redacted}\` |`,
        `| \`config/.env:2\` | ${project!.title} | high | \`${project!.redacted}\` |`,
        `| \`config/.env:3\` | ${cerebras!.title} | medium | \`${cerebras!.redacted}\` |`,
        '',
        '### A false positive?',
        '',
        '- Add `keywarden:allow` in a comment on the line to silence that finding.',
        '- Skip whole paths (fixtures, vendored code) with `paths.ignore` in `.github/keywarden.yml`.',
        "- Or comment `/keywarden false-positive <reason>` on the credential's keywarden issue: the next scan of this repository leaves it out.",
        '',
        'A real key stays in the Git history after the line is removed: revoke it at the provider first.',
        '',
      ].join('\n'),
    );
  });

  it('says what could not be scanned and why, and which config field was wrong', async () => {
    const summary = await summaryOf({
      findings: [],
      threshold: 'high',
      unscanned: [
        { path: 'logo.png', reason: 'binary file: GitHub shows no text diff' },
        { path: 'a|b`c.png', reason: 'binary file: GitHub shows no text diff' },
        { path: '', reason: '300 commits pushed; only the newest 250 were scanned one by one' },
      ],
      configError: 'severityThreshold: expected one of "low"|"medium"|"high"|"critical"',
    });

    expect(summary).toBe(
      [
        'No AI credentials were found in the added lines. The check fails on findings of severity `high` or higher.',
        '',
        '### Not scanned',
        '',
        'These were not scanned, so a credential in them would not be reported:',
        '',
        '- binary file: GitHub shows no text diff: `logo.png`, ``a\\|b`c.png``',
        '- 300 commits pushed; only the newest 250 were scanned one by one',
        '',
        '### Configuration',
        '',
        '`.github/keywarden.yml` could not be used: severityThreshold: expected one of "low"\\|"medium"\\|"high"\\|"critical".',
        '',
        'This scan used the default settings. Fix the file to apply your own.',
        '',
      ].join('\n'),
    );
  });
});
