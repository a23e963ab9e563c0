import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type GithubMock, useGithub } from '../../test/support/github.js';
import { DEFAULT_CONFIG } from '../config/schema.js';
import { loadRepoConfig } from './config.js';
import type { Octokit } from './types.js';

const REF = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const repo = { owner: 'octo', repo: 'hello' };

/** The contents API in raw mode, as the config plugin asks for it. */
function file(gh: GithubMock, path: string, ref: string | undefined, status: number, text = '') {
  const scope = gh.api.get(path);
  const interceptor = ref ? scope.query({ ref }) : scope;
  if (status === 404) {
    interceptor.reply(404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
  } else {
    interceptor.reply(status, text, { 'content-type': 'text/plain; charset=utf-8' });
  }
}

const REPO_FILE = '/repos/octo/hello/contents/.github%2Fkeywarden.yml';
const ORG_FILE = '/repos/octo/.github/contents/.github%2Fkeywarden.yml';

describe('loadRepoConfig', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  it("reads the repository's own file at the ref", async () => {
    file(gh, REPO_FILE, REF, 200, readFileSync('fixtures/configs/valid/full.yml', 'utf8'));

    const result = await loadRepoConfig(octokit, repo, REF);

    expect(result.error).toBeUndefined();
    expect(result.config.severityThreshold).toBe('critical');
    expect(result.config.paths.ignore).toEqual(['test/fixtures/**', '*.snap', 'docs/**/*.md']);
    expect(result.config.rules).toEqual({
      enable: ['openai', 'anthropic', 'huggingface.user-token'],
      disable: ['openai.legacy-key'],
    });
  });

  it('uses the org defaults from <owner>/.github when the repository has no file', async () => {
    file(gh, REPO_FILE, REF, 404);
    file(gh, ORG_FILE, undefined, 200, 'severityThreshold: medium\npaths:\n  ignore: [vendor/**]\n');

    const result = await loadRepoConfig(octokit, repo, REF);

    expect(result).toEqual({
      config: { ...DEFAULT_CONFIG, severityThreshold: 'medium', paths: { ignore: ['vendor/**'] } },
    });
  });

  it('gives the defaults when neither the repository nor the org has a file', async () => {
    file(gh, REPO_FILE, REF, 404);
    file(gh, ORG_FILE, undefined, 404);

    expect(await loadRepoConfig(octokit, repo, REF)).toEqual({ config: DEFAULT_CONFIG });
  });

  it('merges an _extends base under the repository file, nearer values winning', async () => {
    file(gh, REPO_FILE, REF, 200, '_extends: .github\nrules:\n  disable: [aws]\n');
    file(
      gh,
      ORG_FILE,
      undefined,
      200,
      'severityThreshold: low\nrules:\n  enable: [openai, aws]\n  disable: [google]\n',
    );

    const result = await loadRepoConfig(octokit, repo, REF);

    expect(result.error).toBeUndefined();
    expect(result.config.severityThreshold).toBe('low');
    expect(result.config.rules).toEqual({ enable: ['openai', 'aws'], disable: ['aws'] });
  });

  it('names each invalid field and falls back to the defaults', async () => {
    file(gh, REPO_FILE, REF, 200, readFileSync('fixtures/configs/invalid/two-errors.yml', 'utf8'));

    const result = await loadRepoConfig(octokit, repo, REF);

    expect(result.config).toEqual(DEFAULT_CONFIG);
    expect(result.error).toMatch(
      /^rules\.disable\[0\]: expected string, received number; severityThreshold: expected one of/,
    );
  });

  it('says when the invalid file is the org default', async () => {
    file(gh, REPO_FILE, REF, 404);
    file(gh, ORG_FILE, undefined, 200, 'severityThreshold: urgent\n');

    const result = await loadRepoConfig(octokit, repo, REF);

    expect(result.config).toEqual(DEFAULT_CONFIG);
    expect(result.error).toMatch(/^from octo\/\.github: severityThreshold: expected one of/);
  });

  it('reports YAML that does not parse, with the defaults', async () => {
    file(gh, REPO_FILE, REF, 200, readFileSync('fixtures/configs/invalid/yaml-syntax.yml', 'utf8'));

    const result = await loadRepoConfig(octokit, repo, REF);

    expect(result.config).toEqual(DEFAULT_CONFIG);
    expect(result.error).toBe(
      'not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 4, column 1',
    );
  });

  it('throws a failed request so the job can retry it', async () => {
    gh.api
      .get(REPO_FILE)
      .query({ ref: REF })
      .reply(502, { message: 'Server Error' }, { 'content-type': 'application/json; charset=utf-8' });

    await expect(loadRepoConfig(octokit, repo, REF)).rejects.toMatchObject({ status: 502 });
  });
});
