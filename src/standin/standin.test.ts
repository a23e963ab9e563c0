import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateRequest, validateResponse } from '../../test/support/openapi.js';
import { blobSha } from './git.js';
import { GitHubStandin, type StandinOptions } from './index.js';

const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
type Octokit = InstanceType<typeof ProbotOctokit>;

let privateKey: string;
beforeAll(() => {
  privateKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
});

/** Asserts that `data` has the shape GitHub's OpenAPI description documents for this response. */
function expectDocumented(method: string, path: string, status: number, data: unknown): void {
  expect(validateResponse(method, path, status, data), `${method} ${path} ${status}`).toEqual([]);
}

let github: GitHubStandin;
let probot: Probot;

async function startStandin(options: StandinOptions = {}): Promise<void> {
  github = await GitHubStandin.start({ validateRequest, ...options });
  probot = new Probot({
    appId: 12,
    privateKey,
    baseUrl: `${github.url}/api/v3`,
    Octokit: TestOctokit,
    log: pino({ level: 'silent' }),
  });
}

/** acme/app: main with two commits, a `feature` branch with two more. */
function seed(): { first: string; second: string; feature: string } {
  github.addInstallation(7, 'acme');
  github.addRepo({ owner: 'acme', name: 'app', id: 4242, defaultBranch: 'main' });
  const first = github.commit(
    'acme/app',
    'main',
    {
      'README.md': '# app\n',
      'src/config.ts':
        'export const region = "eu";\nexport const retries = 3;\nexport const debug = false;\n',
      'docs/old-name.md': 'moved around\n',
      'notes.txt': 'to be removed\n',
    },
    'Initial commit',
  );
  const second = github.commit(
    'acme/app',
    'main',
    { 'README.md': '# app\n\nKeeps keys safe.\n' },
    'Describe the app',
  );
  github.commit(
    'acme/app',
    'feature',
    {
      'src/config.ts':
        'export const region = "us";\nexport const retries = 3;\nexport const debug = false;\n',
    },
    'Move to us',
  );
  const feature = github.commit(
    'acme/app',
    'feature',
    {
      'src/new.ts': 'export const created = true;\n',
      'notes.txt': null,
      'docs/old-name.md': null,
      'docs/new-name.md': 'moved around\n',
    },
    'Add, remove and rename',
  );
  return { first, second, feature };
}

beforeEach(async () => {
  await startStandin();
});

afterEach(async () => {
  await github.stop();
});

describe('authentication', () => {
  it('hands an installation token to the App JWT and serves the installation its repositories', async () => {
    seed();
    const octokit = await probot.auth(7);

    const { data } = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'README.md' });

    expect(github.requests.map((r) => [r.method, r.path, r.status, r.operation])).toEqual([
      ['POST', '/app/installations/7/access_tokens', 201, 'apps/create-installation-access-token'],
      ['GET', '/repos/acme/app/contents/README.md', 200, 'repos/get-content'],
    ]);
    expect(data).toMatchObject({ type: 'file', path: 'README.md' });
  });

  it('hides repositories of other accounts and rejects unknown tokens', async () => {
    seed();
    github.addInstallation(8, 'other');
    const other = await probot.auth(8);

    const hidden = await other.rest.repos
      .getContent({ owner: 'acme', repo: 'app', path: 'README.md' })
      .catch((e) => e);
    const rejected = await fetch(`${github.url}/api/v3/repos/acme/app/contents/README.md`, {
      headers: { authorization: 'token not-a-token-it-issued' },
    });

    expect(hidden.status).toBe(404);
    expect(rejected.status).toBe(401);
    expect(await rejected.json()).toMatchObject({ message: 'Bad credentials' });
  });
  it('tells the App (by its JWT) which installation holds a repository; an installation token cannot ask', async () => {
    seed();
    const app = await probot.auth();
    const { data: token } = await app.rest.apps.createInstallationAccessToken({ installation_id: 7 });

    const { data } = await app.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'app' });
    const missing = await app.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'nope' }).catch((e) => e);
    const refused = await fetch(`${github.url}/api/v3/repos/acme/app/installation`, {
      headers: { authorization: `token ${token.token}` },
    });

    expect(data).toMatchObject({
      id: 7,
      app_id: 12,
      target_type: 'Organization',
      account: { login: 'acme' },
    });
    expectDocumented('GET', '/repos/acme/app/installation', 200, data);
    expect(missing.status).toBe(404);
    expect(refused.status).toBe(401);
  });
});

describe('contents', () => {
  let octokit: Octokit;
  let commits: ReturnType<typeof seed>;
  beforeEach(async () => {
    commits = seed();
    octokit = await probot.auth(7);
  });

  it('returns a file as base64 with its blob sha, at the default branch or at a ref', async () => {
    const head = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'README.md' });
    const old = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'app',
      path: 'README.md',
      ref: commits.first,
    });

    const decode = (data: unknown) =>
      Buffer.from((data as { content: string }).content, 'base64').toString('utf8');
    expect(decode(head.data)).toBe('# app\n\nKeeps keys safe.\n');
    expect(decode(old.data)).toBe('# app\n');
    expect((old.data as { sha: string }).sha).toBe(blobSha('# app\n'));
    expectDocumented('GET', '/repos/acme/app/contents/README.md', 200, head.data);
  });

  it('gives the blob sha git gives', async () => {
    github.setFile('acme/app', 'hello.txt', 'hello\n');

    const { data } = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'hello.txt' });

    // `printf 'hello\n' | git hash-object --stdin`
    expect((data as { sha: string }).sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('serves the raw media type, directories, and 404 for what is absent', async () => {
    const raw = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: 'acme',
      repo: 'app',
      path: 'src/config.ts',
      mediaType: { format: 'raw' },
    });
    const dir = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'app', path: 'src' });
    const missing = await octokit.rest.repos
      .getContent({ owner: 'acme', repo: 'app', path: 'nope.txt' })
      .catch((e) => e);

    expect(raw.data).toBe(
      'export const region = "eu";\nexport const retries = 3;\nexport const debug = false;\n',
    );
    expect((dir.data as Array<{ path: string; type: string }>).map((e) => [e.path, e.type])).toEqual([
      ['src/config.ts', 'file'],
    ]);
    expectDocumented('GET', '/repos/acme/app/contents/src', 200, dir.data);
    expect(missing.status).toBe(404);
    expect(missing.response.data).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
  });

  it("serves Probot's config plugin: the repository's file first, then the owner's .github repository", async () => {
    github.addRepo({ owner: 'acme', name: '.github', id: 4243, defaultBranch: 'main' });
    github.setFile('acme/.github', '.github/keywarden.yml', 'severityThreshold: high\n');

    const inherited = await octokit.config.get({ owner: 'acme', repo: 'app', path: '.github/keywarden.yml' });
    github.setFile('acme/app', '.github/keywarden.yml', 'severityThreshold: low\n');
    const own = await octokit.config.get({ owner: 'acme', repo: 'app', path: '.github/keywarden.yml' });

    expect(github.requests.slice(1, 3).map((r) => `${r.path} ${r.status}`)).toEqual([
      '/repos/acme/app/contents/.github/keywarden.yml 404',
      '/repos/acme/.github/contents/.github/keywarden.yml 200',
    ]);
    expect(inherited.config).toEqual({ severityThreshold: 'high' });
    expect(own.config).toEqual({ severityThreshold: 'low' });
  });
});

describe('compare', () => {
  let octokit: Octokit;
  let commits: ReturnType<typeof seed>;
  beforeEach(async () => {
    commits = seed();
    octokit = await probot.auth(7);
  });

  it('lists the commits ahead, oldest first, and every changed file with its patch', async () => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'app',
      basehead: 'main...feature',
    });

    expect(data).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
    expect(data.merge_base_commit.sha).toBe(commits.second);
    expect(data.commits.map((c) => c.commit.message)).toEqual(['Move to us', 'Add, remove and rename']);
    expect(data.commits[1]!.sha).toBe(commits.feature);
    expect(
      data.files!.map((f) => [f.filename, f.status, f.additions, f.deletions, f.patch, f.previous_filename]),
    ).toEqual([
      ['docs/new-name.md', 'renamed', 0, 0, undefined, 'docs/old-name.md'],
      ['notes.txt', 'removed', 0, 1, '@@ -1 +0,0 @@\n-to be removed', undefined],
      [
        'src/config.ts',
        'modified',
        1,
        1,
        '@@ -1,3 +1,3 @@\n-export const region = "eu";\n+export const region = "us";\n export const retries = 3;\n export const debug = false;',
        undefined,
      ],
      ['src/new.ts', 'added', 1, 0, '@@ -0,0 +1 @@\n+export const created = true;', undefined],
    ]);
    expectDocumented('GET', '/repos/acme/app/compare/main...feature', 200, data);
  });

  it('diffs from the merge base when the branches diverged', async () => {
    github.commit('acme/app', 'main', { 'README.md': '# app\n\nMoved on.\n' }, 'Main moves on');

    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'app',
      basehead: 'main...feature',
    });

    expect(data).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1 });
    expect(data.merge_base_commit.sha).toBe(commits.second);
    expect(data.files!.map((f) => f.filename)).not.toContain('README.md');
  });

  it('accepts shas and answers 404 for refs it does not know', async () => {
    const bySha = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'app',
      basehead: `${commits.first}...${commits.second}`,
    });
    const unknown = await octokit.rest.repos
      .compareCommitsWithBasehead({ owner: 'acme', repo: 'app', basehead: 'main...nope' })
      .catch((e) => e);

    expect(bySha.data.files!.map((f) => f.filename)).toEqual(['README.md']);
    expect(unknown.status).toBe(404);
  });

  it('pages commits when asked (files on the first page only) and keeps the last 250 otherwise', async () => {
    await github.stop();
    await startStandin({ limits: { compareCommits: 3 } });
    seed();
    octokit = await probot.auth(7);
    const shas: string[] = [];
    for (let i = 1; i <= 7; i++)
      shas.push(github.commit('acme/app', 'long', { [`n/${i}.txt`]: `${i}\n` }, `commit ${i}`));

    const unpaged = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'app',
      basehead: 'main...long',
    });
    const page1 = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'app',
      basehead: 'main...long',
      per_page: 3,
    });
    const page3 = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'app',
      basehead: 'main...long',
      per_page: 3,
      page: 3,
    });

    expect(unpaged.data.total_commits).toBe(7);
    expect(unpaged.data.commits.map((c) => c.sha)).toEqual(shas.slice(4));
    expect(page1.data.commits.map((c) => c.sha)).toEqual(shas.slice(0, 3));
    expect(page1.data.files).toHaveLength(7);
    expect(page1.headers.link).toContain('page=2>; rel="next"');
    expect(page3.data.commits.map((c) => c.sha)).toEqual(shas.slice(6));
    expect(page3.data.files).toBeUndefined();
    expect(page3.headers.link).not.toContain('rel="next"');
  });

  it('omits the patch of binary files and of files whose diff passes the size limit', async () => {
    await github.stop();
    await startStandin({ limits: { patchBytes: 200 } });
    seed();
    octokit = await probot.auth(7);
    github.commit('acme/app', 'big', {
      'big.txt': 'x'.repeat(60).concat('\n').repeat(10),
      'image.png': 'PNG\0\x01\x02',
    });

    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'acme',
      repo: 'app',
      basehead: 'main...big',
    });

    expect(data.files!.map((f) => [f.filename, f.additions, 'patch' in f])).toEqual([
      ['big.txt', 10, false],
      ['image.png', 0, false],
    ]);
  });

  it('answers the diff media type with a unified diff', async () => {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      owner: 'acme',
      repo: 'app',
      basehead: 'main...feature',
      mediaType: { format: 'diff' },
    });

    expect(String(data)).toContain('diff --git a/src/config.ts b/src/config.ts\nindex ');
    expect(String(data)).toContain(
      '--- a/src/config.ts\n+++ b/src/config.ts\n@@ -1,3 +1,3 @@\n-export const region = "eu";\n',
    );
    expect(String(data)).toContain('diff --git a/src/new.ts b/src/new.ts\nnew file mode 100644\n');
  });
});

describe('commits and blobs', () => {
  let octokit: Octokit;
  let commits: ReturnType<typeof seed>;
  beforeEach(async () => {
    commits = seed();
    octokit = await probot.auth(7);
  });

  it('returns one commit with its files against its parent, and 422 for an unknown sha', async () => {
    const { data } = await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'app', ref: commits.feature });
    const unknown = await octokit.rest.repos
      .getCommit({ owner: 'acme', repo: 'app', ref: 'f'.repeat(40) })
      .catch((e) => e);

    expect(data.sha).toBe(commits.feature);
    expect(data.stats).toEqual({ additions: 1, deletions: 1, total: 2 });
    expect(data.files!.map((f) => [f.filename, f.status])).toEqual([
      ['docs/new-name.md', 'renamed'],
      ['notes.txt', 'removed'],
      ['src/new.ts', 'added'],
    ]);
    expectDocumented('GET', `/repos/acme/app/commits/${commits.feature}`, 200, data);
    expect(unknown.status).toBe(422);
  });

  it('pages the files of a large commit', async () => {
    await github.stop();
    await startStandin({ limits: { commitFilesPerPage: 2 } });
    seed();
    octokit = await probot.auth(7);
    const sha = github.commit('acme/app', 'main', { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' });

    const page1 = await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'app', ref: sha });
    const page2 = await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'app', ref: sha, page: 2 });

    expect(page1.data.files!.map((f) => f.filename)).toEqual(['a.txt', 'b.txt']);
    expect(page1.headers.link).toContain('rel="next"');
    expect(page2.data.files!.map((f) => f.filename)).toEqual(['c.txt']);
  });

  it('returns blobs in base64', async () => {
    const { data: file } = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'app',
      path: 'src/config.ts',
    });

    const { data } = await octokit.rest.git.getBlob({
      owner: 'acme',
      repo: 'app',
      file_sha: (file as { sha: string }).sha,
    });

    expect(data.encoding).toBe('base64');
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(
      'export const region = "eu";\nexport const retries = 3;\nexport const debug = false;\n',
    );
    expectDocumented('GET', `/repos/acme/app/git/blobs/${data.sha}`, 200, data);
  });
});

describe('pull requests', () => {
  let octokit: Octokit;
  let commits: ReturnType<typeof seed>;
  beforeEach(async () => {
    commits = seed();
    octokit = await probot.auth(7);
  });

  it('returns the pull request with its head following the branch', async () => {
    const opened = github.openPullRequest('acme/app', { number: 5, head: 'feature', base: 'main' });
    const moved = github.commit('acme/app', 'feature', { 'src/new.ts': 'export const created = false;\n' });

    const { data } = await octokit.rest.pulls.get({ owner: 'acme', repo: 'app', pull_number: 5 });

    expect(opened.headSha).toBe(commits.feature);
    expect(data).toMatchObject({ number: 5, state: 'open', commits: 3, changed_files: 4 });
    expect(data.head).toMatchObject({ ref: 'feature', sha: moved });
    expect(data.base).toMatchObject({ ref: 'main', sha: commits.second });
    expect(data.base.repo.full_name).toBe('acme/app');
    expectDocumented('GET', '/repos/acme/app/pulls/5', 200, data);
    expect(() =>
      expectDocumented('GET', '/repos/acme/app/pulls/5', 200, { ...data, head: { ref: 'feature' } }),
    ).toThrow();
  });

  it('pages the changed files', async () => {
    github.openPullRequest('acme/app', { number: 5, head: 'feature', base: 'main' });

    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: 'acme',
      repo: 'app',
      pull_number: 5,
      per_page: 3,
    });
    const first = await octokit.rest.pulls.listFiles({
      owner: 'acme',
      repo: 'app',
      pull_number: 5,
      per_page: 3,
    });

    expect(files.map((f) => f.filename)).toEqual([
      'docs/new-name.md',
      'notes.txt',
      'src/config.ts',
      'src/new.ts',
    ]);
    expect(
      github.requests.filter((r) => r.operation === 'pulls/list-files').map((r) => r.query.page ?? '1'),
    ).toEqual(['1', '2', '1']);
    expectDocumented('GET', '/repos/acme/app/pulls/5/files', 200, first.data);
  });
});

describe('check runs', () => {
  let octokit: Octokit;
  let commits: ReturnType<typeof seed>;
  beforeEach(async () => {
    commits = seed();
    octokit = await probot.auth(7);
  });

  const annotation = (line: number) => ({
    path: 'src/config.ts',
    start_line: line,
    end_line: line,
    annotation_level: 'failure' as const,
    message: `finding ${line}`,
  });

  it('creates a run, accumulates annotations across updates, and lists it for the commit', async () => {
    const repo = { owner: 'acme', repo: 'app' };

    const created = await octokit.rest.checks.create({
      ...repo,
      name: 'keywarden',
      head_sha: commits.second,
      status: 'in_progress',
    });
    const first = await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      output: {
        title: '60 findings',
        summary: 'first batch',
        annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)),
      },
    });
    const last = await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      conclusion: 'failure',
      output: {
        title: '60 findings',
        summary: 'all batches',
        annotations: Array.from({ length: 10 }, (_, i) => annotation(i + 51)),
      },
    });
    const listed = await octokit.rest.checks.listForRef({ ...repo, ref: 'main' });

    expect(created.data).toMatchObject({
      name: 'keywarden',
      head_sha: commits.second,
      status: 'in_progress',
      conclusion: null,
    });
    expect(created.data.app?.id).toBe(12);
    expect(first.data.output.annotations_count).toBe(50);
    expect(last.data).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { summary: 'all batches', annotations_count: 60 },
    });
    const listedAnnotations = await octokit.paginate(octokit.rest.checks.listAnnotations, {
      ...repo,
      check_run_id: created.data.id,
      per_page: 100,
    });
    expect(listedAnnotations.map((a) => [a.start_line, a.message])).toEqual(
      Array.from({ length: 60 }, (_, i) => [i + 1, `finding ${i + 1}`]),
    );
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]!.id).toBe(created.data.id);
    const [run] = github.checkRuns('acme/app');
    expect(run).toMatchObject({ id: created.data.id, status: 'completed', conclusion: 'failure' });
    expect(run!.output.annotations.map((a) => (a as { message: string }).message)).toEqual(
      Array.from({ length: 60 }, (_, i) => `finding ${i + 1}`),
    );
    expectDocumented('POST', '/repos/acme/app/check-runs', 201, created.data);
    expectDocumented('PATCH', `/repos/acme/app/check-runs/${created.data.id}`, 200, last.data);
    expectDocumented('GET', '/repos/acme/app/commits/main/check-runs', 200, listed.data);
  });

  it('rejects what GitHub rejects: 51 annotations, a completed run without conclusion, an unknown sha', async () => {
    await github.stop();
    await startStandin({ validateRequest: undefined });
    seed();
    octokit = await probot.auth(7);
    const repo = { owner: 'acme', repo: 'app' };
    const run = await octokit.rest.checks.create({ ...repo, name: 'keywarden', head_sha: commits.second });

    const tooMany = await octokit.rest.checks
      .update({
        ...repo,
        check_run_id: run.data.id,
        output: {
          title: 't',
          summary: 's',
          annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)),
        },
      })
      .catch((e) => e);
    const noConclusion = await octokit
      .request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        ...repo,
        check_run_id: run.data.id,
        status: 'completed',
      })
      .catch((e) => e);
    const unknownSha = await octokit.rest.checks
      .create({ ...repo, name: 'keywarden', head_sha: 'a'.repeat(40) })
      .catch((e) => e);

    expect([tooMany.status, noConclusion.status, unknownSha.status]).toEqual([422, 422, 422]);
    expect(tooMany.response.data.message).toBe('output.annotations has more than 50 items');
    expect(github.checkRuns('acme/app')[0]!.output.annotations).toEqual([]);
  });
});

describe('failures and records', () => {
  let octokit: Octokit;
  beforeEach(async () => {
    seed();
    octokit = await probot.auth(7);
  });

  it('injects server errors and secondary rate limits, then answers normally', async () => {
    github.failNext({ method: 'GET', path: /\/compare\// }, 502);
    github.failNext({ path: /\/check-runs$/ }, 403, 2, { 'retry-after': '1' });
    const compare = () =>
      octokit.rest.repos.compareCommitsWithBasehead({
        owner: 'acme',
        repo: 'app',
        basehead: 'main...feature',
      });
    const create = () =>
      octokit.rest.checks.create({
        owner: 'acme',
        repo: 'app',
        name: 'keywarden',
        head_sha: github.branchHead('acme/app', 'main')!,
      });

    const failed = await compare().catch((e) => e);
    const ok = await compare();
    const limited = [await create().catch((e) => e), await create().catch((e) => e)];
    const created = await create();

    expect(failed.status).toBe(502);
    expect(ok.status).toBe(200);
    expect(limited.map((e) => e.status)).toEqual([403, 403]);
    expect(limited[0].message).toContain('secondary rate limit');
    expect(limited[0].response.headers['retry-after']).toBe('1');
    expect(created.status).toBe(201);
    expect(github.requests.slice(1).map((r) => r.status)).toEqual([502, 200, 403, 403, 201]);
  });

  it('answers unknown routes with GitHub 404 and records them without an operation', async () => {
    const missing = await octokit
      .request('GET /repos/{owner}/{repo}/releases', { owner: 'acme', repo: 'app' })
      .catch((e) => e);

    expect(missing.status).toBe(404);
    expect(missing.response.data).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
    expect(github.requests.filter((r) => r.operation === undefined)).toEqual([
      {
        method: 'GET',
        path: '/repos/acme/app/releases',
        query: {},
        body: undefined,
        status: 404,
        operation: undefined,
      },
    ]);
  });

  it('records method, path, query, body and status of every request', async () => {
    const head = github.branchHead('acme/app', 'main')!;
    await octokit.rest.checks.create({ owner: 'acme', repo: 'app', name: 'keywarden', head_sha: head });
    await octokit.rest.pulls
      .listFiles({ owner: 'acme', repo: 'app', pull_number: 9, per_page: 100 })
      .catch(() => undefined);

    expect(github.requests.slice(1)).toEqual([
      {
        method: 'POST',
        path: '/repos/acme/app/check-runs',
        query: {},
        body: { name: 'keywarden', head_sha: head },
        status: 201,
        operation: 'checks/create',
      },
      {
        method: 'GET',
        path: '/repos/acme/app/pulls/9/files',
        query: { per_page: '100' },
        body: undefined,
        status: 404,
        operation: 'pulls/list-files',
      },
    ]);
  });

  it('rejects what the optional request validator rejects, as GitHub would', async () => {
    const bad = await octokit
      .request('POST /repos/acme/app/check-runs', { name: 'keywarden', head_sha: 'x', status: 'running' })
      .catch((e) => e);

    expect(bad.status).toBe(422);
    expect(bad.response.data.message).toContain('body/status must be one of: queued, in_progress, completed');
  });
});

describe('repositories and history', () => {
  let octokit: Octokit;
  let commits: ReturnType<typeof seed>;
  beforeEach(async () => {
    commits = seed();
    octokit = await probot.auth(7);
  });

  it('returns the repository', async () => {
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'app' });

    expect(data).toMatchObject({ id: 4242, full_name: 'acme/app', default_branch: 'main', private: false });
    expect(data.owner).toMatchObject({ login: 'acme', type: 'Organization' });
    expectDocumented('GET', '/repos/acme/app', 200, data);
  });

  it('lists the history of a ref, newest first, page by page', async () => {
    const shas = await octokit.paginate(
      octokit.rest.repos.listCommits,
      { owner: 'acme', repo: 'app', sha: commits.feature, per_page: 2 },
      (response) => response.data.map((c) => c.sha),
    );
    const { data } = await octokit.rest.repos.listCommits({ owner: 'acme', repo: 'app' });

    expect(shas).toHaveLength(4);
    expect(shas[0]).toBe(commits.feature);
    expect(shas.slice(2)).toEqual([commits.second, commits.first]);
    expect(data.map((c) => c.sha)).toEqual([commits.second, commits.first]);
    expectDocumented('GET', '/repos/acme/app/commits', 200, data);
  });
});
