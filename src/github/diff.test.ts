import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type GithubMock, useGithub } from '../../test/support/github.js';
import { openapiExample } from '../../test/support/openapi.js';
import { scan } from '../engine/scan.js';
import { allRules } from '../rules/registry.js';
import type { ChangedFile } from './changed-files.js';
import { pullRequestFragments, pushFragments } from './diff.js';
import type { Octokit } from './types.js';

const repo = { owner: 'octo', repo: 'hello' };
const ZERO = '0'.repeat(40);
const sha = (label: string): string => createHash('sha1').update(label).digest('hex');
const BEFORE = sha('before');
const AFTER = sha('after');

type ApiFile = ChangedFile & Record<string, unknown>;

/** A changed file in the shape the compare / commit / pull request files endpoints document. */
function changed(filename: string, patch: string | undefined, overrides: Partial<ApiFile> = {}): ApiFile {
  const added = patch?.split('\n').filter((line) => line.startsWith('+')).length ?? 0;
  const removed = patch?.split('\n').filter((line) => line.startsWith('-')).length ?? 0;
  const file: ApiFile = {
    ...openapiExample<{ files: ApiFile[] }>('GET', '/repos/{owner}/{repo}/compare/{basehead}').files[0]!,
    sha: sha(`blob:${filename}`),
    filename,
    status: 'modified',
    additions: added,
    deletions: removed,
    changes: added + removed,
    ...overrides,
  };
  if (patch === undefined) delete file.patch;
  else file.patch = patch;
  return file;
}

/** A compare answer in the documented shape. */
function comparison(
  files: ApiFile[],
  options: { commits?: string[]; total?: number; status?: string; aheadBy?: number } = {},
): Record<string, unknown> {
  const example = openapiExample<{ commits: Array<Record<string, unknown>> }>(
    'GET',
    '/repos/{owner}/{repo}/compare/{basehead}',
  );
  const commits = options.commits ?? [AFTER];
  return {
    ...example,
    status: options.status ?? 'ahead',
    ahead_by: options.aheadBy ?? commits.length,
    behind_by: 0,
    total_commits: options.total ?? commits.length,
    commits: commits.map((id) => ({ ...example.commits[0], sha: id })),
    files,
  };
}

function commit(id: string, files: ApiFile[]): Record<string, unknown> {
  return { ...openapiExample('GET', '/repos/{owner}/{repo}/commits/{ref}'), sha: id, files };
}

function blob(fileSha: string, content: Buffer | string): Record<string, unknown> {
  const bytes = Buffer.from(content);
  return {
    ...openapiExample('GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}'),
    sha: fileSha,
    size: bytes.length,
    content: bytes.toString('base64').replace(/(.{60})/g, '$1\n'),
    encoding: 'base64',
  };
}

const planted = allRules.find((rule) => rule.id === 'openai.project-key')!.sample('github-diff-test');

describe('pushFragments', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  const push = { before: BEFORE, after: AFTER, created: false, forced: false, defaultBranch: 'main' };

  it('reads a small push from one compare: added lines with their line numbers', async () => {
    gh.api.get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`).reply(
      200,
      comparison([
        changed(
          'app/settings.py',
          `@@ -1,2 +1,3 @@\n import os\n+OPENAI_API_KEY = "${planted}"\n DEBUG = False`,
        ),
        changed('README.md', '@@ -10,0 +11,2 @@\n+Two new\n+lines', { status: 'added' }),
        changed('old.txt', '@@ -1 +0,0 @@\n-gone', { status: 'removed' }),
        changed('docs/new name.md', '@@ -3,1 +3,1 @@\n-a\n+b', {
          status: 'renamed',
          previous_filename: 'docs/old.md',
        }),
      ]),
    );

    const changes = await pushFragments(octokit, repo, push);

    expect(changes.fragments).toEqual([
      { path: 'app/settings.py', text: `OPENAI_API_KEY = "${planted}"`, lineNumbers: [2] },
      { path: 'README.md', text: 'Two new\nlines', lineNumbers: [11, 12] },
      { path: 'docs/new name.md', text: 'b', lineNumbers: [3] },
    ]);
    expect([...changes.blobShas.keys()]).toEqual(['app/settings.py', 'README.md', 'docs/new name.md']);
    expect(changes.blobShas.get('README.md')).toBe(sha('blob:README.md'));
    expect(changes.unscanned).toEqual([]);
    expect(gh.recordedRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /app/installations/1/access_tokens',
      `GET /repos/octo/hello/compare/${BEFORE}...${AFTER}`,
    ]);
    const findings = scan(changes.fragments, allRules, { fingerprintKey: 'k' });
    expect(findings.map((f) => [f.ruleId, f.path, f.line, f.column])).toEqual([
      ['openai.project-key', 'app/settings.py', 2, 19],
    ]);
  });

  it('yields nothing for a deleted branch, without a request', async () => {
    const changes = await pushFragments(octokit, repo, { ...push, after: ZERO });

    expect(changes).toEqual({ fragments: [], blobShas: new Map(), unscanned: [] });
    expect(gh.recordedRequests()).toEqual([]);
  });

  it('compares a new branch with the default branch', async () => {
    gh.api
      .get(`/repos/octo/hello/compare/main...${AFTER}`)
      .reply(200, comparison([changed('a.txt', '@@ -0,0 +1 @@\n+hello', { status: 'added' })]));

    const changes = await pushFragments(octokit, repo, { ...push, before: ZERO, created: true });

    expect(changes.fragments).toEqual([{ path: 'a.txt', text: 'hello', lineNumbers: [1] }]);
  });

  it('adds nothing for a new branch made from a commit the default branch has', async () => {
    gh.api
      .get(`/repos/octo/hello/compare/main...${AFTER}`)
      .reply(200, comparison([], { commits: [], status: 'identical', aheadBy: 0 }));

    const changes = await pushFragments(octokit, repo, { ...push, before: ZERO, created: true, commits: [] });

    expect(changes.fragments).toEqual([]);
  });

  it('lists the commits of the first push of the default branch one by one', async () => {
    const first = sha('c1');
    gh.api
      .get(`/repos/octo/hello/commits/${first}`)
      .reply(200, commit(first, [changed('init.txt', '@@ -0,0 +1,2 @@\n+one\n+two', { status: 'added' })]));
    gh.api
      .get(`/repos/octo/hello/commits/${AFTER}`)
      .reply(200, commit(AFTER, [changed('init.txt', '@@ -2,1 +2,1 @@\n-two\n+deux')]));

    const changes = await pushFragments(octokit, repo, {
      ...push,
      before: ZERO,
      created: true,
      ref: 'refs/heads/main',
      commits: [first, AFTER],
    });

    expect(changes.fragments).toEqual([
      { path: 'init.txt', text: 'one\ntwo', lineNumbers: [1, 2] },
      { path: 'init.txt', text: 'deux', lineNumbers: [2] },
    ]);
  });

  it('recognises a first push without the ref: nothing ahead of itself, yet commits pushed', async () => {
    gh.api
      .get(`/repos/octo/hello/compare/main...${AFTER}`)
      .reply(200, comparison([], { commits: [], status: 'identical', aheadBy: 0 }));
    gh.api
      .get(`/repos/octo/hello/commits/${AFTER}`)
      .reply(200, commit(AFTER, [changed('a', '@@ -0,0 +1 @@\n+x')]));

    const changes = await pushFragments(octokit, repo, {
      ...push,
      before: ZERO,
      created: true,
      commits: [AFTER],
    });

    expect(changes.fragments).toEqual([{ path: 'a', text: 'x', lineNumbers: [1] }]);
  });

  it('walks the history when the payload commit list may be cut (20 or more)', async () => {
    const history = Array.from({ length: 3 }, (_, i) => sha(`h${i}`));
    const listed = openapiExample<Array<Record<string, unknown>>>('GET', '/repos/{owner}/{repo}/commits')[0]!;
    gh.api
      .get('/repos/octo/hello/commits')
      .query({ sha: AFTER, per_page: 100 })
      .reply(
        200,
        history.map((id) => ({ ...listed, sha: id })),
        {
          link: `<https://api.github.com/repositories/1296269/commits?sha=${AFTER}&per_page=100&page=2>; rel="next"`,
        },
      );
    gh.api.get('/repositories/1296269/commits').query({ sha: AFTER, per_page: 100, page: 2 }).reply(200, []);
    for (const id of [...history].reverse()) {
      gh.api
        .get(`/repos/octo/hello/commits/${id}`)
        .reply(200, commit(id, [changed(`${id}.txt`, '@@ -0,0 +1 @@\n+x')]));
    }

    const changes = await pushFragments(octokit, repo, {
      ...push,
      before: ZERO,
      created: true,
      ref: 'refs/heads/main',
      commits: Array.from({ length: 20 }, (_, i) => sha(`p${i}`)),
    });

    expect(changes.fragments.map((f) => f.path)).toEqual([...history].reverse().map((id) => `${id}.txt`));
  });

  it('falls back to the default branch when a forced push left `before` unknown', async () => {
    gh.api.get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`).reply(404, { message: 'Not Found' });
    gh.api
      .get(`/repos/octo/hello/compare/main...${AFTER}`)
      .reply(200, comparison([changed('f.txt', '@@ -1 +1 @@\n-a\n+b')]));

    const changes = await pushFragments(octokit, repo, { ...push, forced: true });

    expect(changes.fragments).toEqual([{ path: 'f.txt', text: 'b', lineNumbers: [1] }]);
  });

  it('reads each commit when the compare lists 300 files (its limit), paging a commit past 300 files', async () => {
    const c1 = sha('c1');
    const many = Array.from({ length: 300 }, (_, i) =>
      changed(`f${i}.bin`, undefined, { changes: 0, additions: 0 }),
    );
    gh.api
      .get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`)
      .reply(200, comparison(many, { commits: [c1, AFTER] }));
    gh.api
      .get(`/repos/octo/hello/commits/${c1}`)
      .reply(200, commit(c1, [changed('a.txt', '@@ -0,0 +1 @@\n+first')]), {
        link: `<https://api.github.com/repositories/1296269/commits/${c1}?page=2>; rel="next"`,
      });
    gh.api
      .get(`/repositories/1296269/commits/${c1}`)
      .query({ page: 2 })
      .reply(200, commit(c1, [changed('b.txt', '@@ -0,0 +1 @@\n+second page')]));
    gh.api
      .get(`/repos/octo/hello/commits/${AFTER}`)
      .reply(200, commit(AFTER, [changed('a.txt', '@@ -1 +1 @@\n-first\n+third')]));

    const changes = await pushFragments(octokit, repo, push);

    expect(changes.fragments).toEqual([
      { path: 'a.txt', text: 'first', lineNumbers: [1] },
      { path: 'b.txt', text: 'second page', lineNumbers: [1] },
      { path: 'a.txt', text: 'third', lineNumbers: [1] },
    ]);
    expect(changes.unscanned).toEqual([]);
  });

  it('pages the compare past 250 commits, keeping the newest up to the limit, and says so', async () => {
    const page3 = Array.from({ length: 60 }, (_, i) => sha(`r${200 + i}`));
    gh.api
      .get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`)
      .reply(200, comparison([changed('x', '@@ -0,0 +1 @@\n+x')], { commits: [AFTER], total: 260 }));
    gh.api
      .get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`)
      .query({ per_page: 100, page: 3 })
      .reply(200, comparison([], { commits: page3, total: 260 }));
    for (const id of page3.slice(-3)) {
      gh.api
        .get(`/repos/octo/hello/commits/${id}`)
        .reply(200, commit(id, [changed(`${id}.txt`, '@@ -0,0 +1 @@\n+y')]));
    }

    const changes = await pushFragments(octokit, repo, push, { maxCommits: 3 });

    expect(changes.fragments.map((f) => f.path)).toEqual(page3.slice(-3).map((id) => `${id}.txt`));
    expect(changes.unscanned).toEqual([
      { path: '', reason: '260 commits pushed; only the newest 3 were scanned one by one' },
    ]);
  });

  it('scans the blob of a file whose diff GitHub did not include, whole', async () => {
    const big = changed('dist/bundle.js', undefined, { additions: 20000, changes: 20000 });
    gh.api.get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`).reply(200, comparison([big]));
    gh.api
      .get(`/repos/octo/hello/git/blobs/${big.sha}`)
      .reply(200, blob(big.sha!, `var a = 1;\nconst key = "${planted}";\n`));

    const changes = await pushFragments(octokit, repo, push);

    expect(changes.fragments).toEqual([
      { path: 'dist/bundle.js', text: `var a = 1;\nconst key = "${planted}";\n` },
    ]);
    expect(changes.blobShas.get('dist/bundle.js')).toBe(big.sha);
    expect(scan(changes.fragments, allRules, { fingerprintKey: 'k' }).map((f) => f.line)).toEqual([2]);
  });

  it('records binary files, blobs with NUL bytes and blobs over the size limit as not scanned', async () => {
    const image = changed('logo.png', undefined, { status: 'added', additions: 0, changes: 0 });
    const nul = changed('data.db', undefined, { additions: 5, changes: 5 });
    const huge = changed('dump.sql', undefined, { additions: 90000, changes: 90000 });
    gh.api.get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`).reply(200, comparison([image, nul, huge]));
    gh.api.get(`/repos/octo/hello/git/blobs/${nul.sha}`).reply(200, blob(nul.sha!, Buffer.from([65, 0, 66])));
    gh.api.get(`/repos/octo/hello/git/blobs/${huge.sha}`).reply(200, blob(huge.sha!, 'x'.repeat(2048)));

    const changes = await pushFragments(octokit, repo, push, { maxBlobBytes: 1024 });

    expect(changes.fragments).toEqual([]);
    expect(changes.unscanned).toEqual([
      { path: 'logo.png', reason: 'binary file: GitHub shows no text diff' },
      { path: 'data.db', reason: 'binary file: contains NUL bytes' },
      { path: 'dump.sql', reason: 'file of 2.0 KiB is above the 1.0 KiB scan limit' },
    ]);
  });

  it('neither parses nor fetches paths the config ignores', async () => {
    const big = changed('vendor/lib.js', undefined, { additions: 9000, changes: 9000 });
    gh.api
      .get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`)
      .reply(200, comparison([big, changed('vendor/a.txt', '@@ -0,0 +1 @@\n+z')]));

    const changes = await pushFragments(octokit, repo, push, {
      isIgnored: (path) => path.startsWith('vendor/'),
    });

    expect(changes).toEqual({ fragments: [], blobShas: new Map(), unscanned: [] });
  });

  it('throws a server error so the job can retry', async () => {
    gh.api.get(`/repos/octo/hello/compare/${BEFORE}...${AFTER}`).reply(502, { message: 'Server Error' });

    await expect(pushFragments(octokit, repo, push)).rejects.toMatchObject({ status: 502 });
  });
});

describe('pullRequestFragments', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  it('pages through the files, with the same blob fallback', async () => {
    const big = changed('big.env', undefined, { additions: 30000, changes: 30000 });
    gh.api
      .get('/repos/octo/hello/pulls/7/files')
      .query({ per_page: 100 })
      .reply(200, [changed('a.py', '@@ -4,0 +5 @@\n+x = 1')], {
        link: '<https://api.github.com/repositories/1296269/pulls/7/files?per_page=100&page=2>; rel="next"',
      });
    gh.api
      .get('/repositories/1296269/pulls/7/files')
      .query({ per_page: 100, page: 2 })
      .reply(200, [big, changed('gone.py', '@@ -1 +0,0 @@\n-y', { status: 'removed' })]);
    gh.api.get(`/repos/octo/hello/git/blobs/${big.sha}`).reply(200, blob(big.sha!, `KEY=${planted}\n`));

    const changes = await pullRequestFragments(octokit, repo, { number: 7, headSha: AFTER });

    expect(changes.fragments).toEqual([
      { path: 'a.py', text: 'x = 1', lineNumbers: [5] },
      { path: 'big.env', text: `KEY=${planted}\n` },
    ]);
    expect([...changes.blobShas]).toEqual([
      ['a.py', sha('blob:a.py')],
      ['big.env', big.sha],
    ]);
  });

  it("notes GitHub's 3000-file limit", async () => {
    const files = Array.from({ length: 100 }, (_, i) =>
      changed(`f${i}.png`, undefined, { status: 'removed' }),
    );
    for (let page = 1; page <= 30; page++) {
      const next =
        page < 30
          ? `<https://api.github.com/repositories/1/pulls/7/files?per_page=100&page=${page + 1}>; rel="next"`
          : '';
      const path = page === 1 ? '/repos/octo/hello/pulls/7/files' : '/repositories/1/pulls/7/files';
      gh.api
        .get(path)
        .query(page === 1 ? { per_page: 100 } : { per_page: 100, page })
        .reply(200, files, next ? { link: next } : {});
    }

    const changes = await pullRequestFragments(octokit, repo, { number: 7, headSha: AFTER });

    expect(changes.unscanned).toEqual([
      {
        path: '',
        reason: 'GitHub lists at most 3000 files of a pull request; files past that were not scanned',
      },
    ]);
  });
});
