import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubStandin, ZERO_SHA } from './index.js';

let github: GitHubStandin;

beforeEach(async () => {
  github = await GitHubStandin.start();
  github.addInstallation(31, 'acme');
  github.addRepo({ owner: 'acme', name: 'app', id: 777, defaultBranch: 'main', private: true });
});

afterEach(async () => {
  await github.stop();
});

describe('push payloads', () => {
  it("announce a branch's first push as created, with its commits and the stand-in's ids", () => {
    const first = github.commit('acme/app', 'main', { 'README.md': '# app\n' }, 'Initial commit');
    const second = github.commit(
      'acme/app',
      'main',
      { 'src/a.ts': 'export {};\n', 'README.md': '# app!\n' },
      'Add a',
    );

    const payload = github.payloads.push('acme/app', 'main');

    expect(payload).toMatchObject({
      ref: 'refs/heads/main',
      before: ZERO_SHA,
      after: second,
      created: true,
      deleted: false,
      forced: false,
      installation: { id: 31 },
      repository: { id: 777, name: 'app', full_name: 'acme/app', private: true, default_branch: 'main' },
      organization: { login: 'acme' },
      pusher: { name: 'Codertocat' },
      sender: { login: 'Codertocat' },
    });
    expect(payload.repository.owner).toMatchObject({ login: 'acme', type: 'Organization' });
    expect(payload.commits.map((c) => [c.id, c.message, c.added, c.modified])).toEqual([
      [first, 'Initial commit', ['README.md'], []],
      [second, 'Add a', ['src/a.ts'], ['README.md']],
    ]);
    expect(payload.head_commit?.id).toBe(second);
    expect(payload.repository.url).toBe(`${github.url}/acme/app`);
    expect(payload.repository.compare_url).toBe(
      `${github.url}/api/v3/repos/acme/app/compare/{base}...{head}`,
    );
  });

  it('start the next push where the previous one ended', () => {
    github.commit('acme/app', 'main', { 'README.md': '# app\n' });
    const pushed = github.payloads.push('acme/app', 'main').after;
    const next = github.commit('acme/app', 'main', { 'README.md': '# app, again\n' }, 'Again');

    const payload = github.payloads.push('acme/app', 'main');

    expect(payload).toMatchObject({ before: pushed, after: next, created: false, forced: false });
    expect(payload.commits.map((c) => c.id)).toEqual([next]);
    expect(payload.compare).toBe(
      `${github.url}/acme/app/compare/${pushed.slice(0, 12)}...${next.slice(0, 12)}`,
    );
  });

  it('list only the new commits of a new branch', () => {
    github.commit('acme/app', 'main', { 'README.md': '# app\n' });
    github.payloads.push('acme/app', 'main');
    const feature = github.commit('acme/app', 'feature', { 'src/b.ts': 'export {};\n' }, 'Add b');

    const payload = github.payloads.push('acme/app', 'feature');

    expect(payload).toMatchObject({
      ref: 'refs/heads/feature',
      before: ZERO_SHA,
      after: feature,
      created: true,
    });
    expect(payload.commits.map((c) => c.id)).toEqual([feature]);
  });

  it('mark a rewritten history as forced and a removed branch as deleted', () => {
    const base = github.commit('acme/app', 'main', { 'README.md': '# app\n' });
    github.commit('acme/app', 'main', { 'leak.txt': 'oops\n' }, 'Oops');
    const before = github.payloads.push('acme/app', 'main').after;
    github.setBranch('acme/app', 'main', base);
    const rewritten = github.commit('acme/app', 'main', { 'clean.txt': 'fine\n' }, 'Clean');
    github.commit('acme/app', 'gone', { 'x.txt': 'x\n' });
    github.payloads.push('acme/app', 'gone');
    github.setBranch('acme/app', 'gone', null);

    const forced = github.payloads.push('acme/app', 'main');
    const deleted = github.payloads.push('acme/app', 'gone');

    expect(forced).toMatchObject({ before, after: rewritten, forced: true, created: false });
    expect(forced.commits.map((c) => c.id)).toEqual([rewritten]);
    expect(deleted).toMatchObject({ after: ZERO_SHA, deleted: true, commits: [], head_commit: null });
  });

  it('refuse a repository without an installation', () => {
    github.addRepo({ owner: 'nobody', name: 'x', id: 1, defaultBranch: 'main' });
    github.commit('nobody/x', 'main', { a: 'a\n' });

    expect(() => github.payloads.push('nobody/x', 'main')).toThrow('no installation for nobody');
  });
});

describe('pull request payloads', () => {
  it('carry the pull request as the stand-in has it, and synchronize from the announced head', () => {
    const main = github.commit('acme/app', 'main', { 'README.md': '# app\n' });
    const head = github.commit('acme/app', 'feature', { 'src/c.ts': 'export {};\n' });
    github.openPullRequest('acme/app', { number: 12, head: 'feature', base: 'main', author: 'mona' });

    const opened = github.payloads.pullRequest('acme/app', 12, 'opened');
    const moved = github.commit('acme/app', 'feature', { 'src/c.ts': 'export const c = 1;\n' });
    const synchronize = github.payloads.pullRequest('acme/app', 12, 'synchronize');

    expect(opened).toMatchObject({
      action: 'opened',
      number: 12,
      installation: { id: 31 },
      repository: { id: 777, full_name: 'acme/app' },
      sender: { login: 'mona' },
      pull_request: {
        number: 12,
        state: 'open',
        user: { login: 'mona' },
        head: { ref: 'feature', sha: head, repo: { id: 777 } },
        base: { ref: 'main', sha: main },
        changed_files: 1,
        url: `${github.url}/api/v3/repos/acme/app/pulls/12`,
      },
    });
    expect(synchronize).toMatchObject({
      action: 'synchronize',
      before: head,
      after: moved,
      pull_request: { head: { sha: moved } },
    });
  });
});

describe('with Probot', () => {
  it('deliver a push that a Probot app handles against the stand-in', async () => {
    const privateKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const probot = new Probot({
      appId: 3,
      privateKey,
      baseUrl: `${github.url}/api/v3`,
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
        ...o,
        throttle: { enabled: false },
      })),
      log: pino({ level: 'silent' }),
    });
    github.commit('acme/app', 'main', { 'config.py': 'region = "eu"\n' });
    github.payloads.push('acme/app', 'main');
    github.commit('acme/app', 'main', { 'config.py': 'region = "eu"\ntimeout = 30\n' });
    const patches: string[] = [];
    probot.on('push', async (context) => {
      const { data } = await context.octokit.rest.repos.compareCommitsWithBasehead(
        context.repo({ basehead: `${context.payload.before}...${context.payload.after}` }),
      );
      for (const file of data.files ?? []) patches.push(file.patch ?? '');
    });

    await probot.receive({
      id: 'delivery-1',
      name: 'push',
      payload: github.payloads.push('acme/app', 'main'),
    });

    expect(patches).toEqual(['@@ -1 +1,2 @@\n region = "eu"\n+timeout = 30']);
    expect(github.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /app/installations/31/access_tokens 201',
      expect.stringMatching(/^GET \/repos\/acme\/app\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40} 200$/),
    ]);
  });
});
