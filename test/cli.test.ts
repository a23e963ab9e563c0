/** `keywarden scan` on folders, files and diffs: what is found, where, what is skipped, baselines, config. */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FINGERPRINT_KEY, fingerprint } from '../src/engine/fingerprint.js';
import {
  expectedFinding,
  FINDING_KEYS,
  type JsonReport,
  makeTempDir,
  type PlantedKey,
  plantableKeys,
  removeAll,
  runCli,
  skippedCounts,
  twoKeyRepo,
  writeTree,
} from './cli-harness.js';

const made: string[] = [];
afterEach(() => removeAll(made));

let a: PlantedKey;
let b: PlantedKey;
beforeAll(() => {
  const keys = plantableKeys('cli-test');
  expect(keys.length).toBeGreaterThanOrEqual(2);
  [a, b] = keys as [PlantedKey, PlantedKey];
});

const skipped = skippedCounts;
const expected = expectedFinding;

async function repoWithTwoKeys(): Promise<string> {
  const root = await makeTempDir(made);
  await writeTree(root, twoKeyRepo(a, b));
  return root;
}

describe('keywarden scan (folders)', () => {
  it('prints the documented JSON with paths relative to the scanned folder, exit 1', async () => {
    const root = await repoWithTwoKeys();

    const run = await runCli(['scan', root, '--format', 'json'], { cwd: '/' });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(Object.keys(report)).toEqual(['findings', 'skipped']);
    expect(report.findings.map((finding) => Object.keys(finding))).toEqual([FINDING_KEYS, FINDING_KEYS]);
    expect(report.findings).toEqual([
      expected(a, 'config/.env', 3, 9),
      expected(b, 'src/app/client.py', 3, 26),
    ]);
    expect(report.skipped).toEqual(skipped({}));
  });

  it('exits 0 with no findings on a clean folder', async () => {
    const root = await makeTempDir(made);
    await writeTree(root, { 'a.txt': 'nothing here\n', 'b/c.md': 'API_KEY=<your key>\n' });

    const run = await runCli(['scan', '--format', 'json'], { cwd: root });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ findings: [], skipped: skipped({}) });
  });

  it('reports paths relative to the working directory when several paths are given', async () => {
    const root = await repoWithTwoKeys();

    const several = await runCli(['scan', 'src', 'config', '-f', 'json'], { cwd: root });
    const oneFile = await runCli(['scan', 'config/.env', '-f', 'json'], { cwd: root });
    const parent = await runCli(['scan', '..', '-f', 'json'], { cwd: join(root, 'src') });

    const paths = (run: { stdout: string }) =>
      (JSON.parse(run.stdout) as JsonReport).findings.map((f) => f.path);
    expect(paths(several)).toEqual(['config/.env', 'src/app/client.py']);
    expect(paths(oneFile)).toEqual(['config/.env']);
    expect(paths(parent)).toEqual(['config/.env', 'src/app/client.py']);
  });

  it('skips .git, node_modules, binary files, large files and symlinks, and counts each', async () => {
    const root = await makeTempDir(made);
    const outside = await makeTempDir(made);
    const line = `API_KEY=${a.secret}\n`;
    await writeTree(outside, { 'secret.env': line, 'dir/inner.env': line });
    await writeTree(root, {
      'main.env': line,
      'README.md': 'docs\n',
      '.git/config': line,
      'node_modules/pkg/index.js': line,
      'packages/web/node_modules/x.js': line,
      'assets/logo.bin': Buffer.concat([Buffer.from([0x89, 0x50, 0x00, 0x47]), Buffer.from(line)]),
      'big.txt': `${'x'.repeat(20_000)}\n${line}`,
      'late-nul.txt': `${'a'.repeat(9000)}\u0000\n${line}`,
    });
    await symlink(join(outside, 'secret.env'), join(root, 'linked.env'));
    await symlink(join(outside, 'dir'), join(root, 'linked-dir'));

    const json = await runCli(['scan', '.', '--format', 'json', '--max-file-size', '16K'], { cwd: root });
    const text = await runCli(['scan', '.', '--max-file-size', '16KiB'], { cwd: root });

    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.findings.map((f) => f.path)).toEqual(['late-nul.txt', 'main.env']);
    expect(report.skipped).toEqual(
      skipped({ 'excluded-directory': 3, symlink: 2, binary: 1, 'too-large': 1 }),
    );
    expect(text.stdout).toContain(
      'Scanned 3 files; skipped 7 (.git/node_modules folders: 3, symlinks: 2, binary: 1, too large: 1).',
    );
  });

  it('reads many files concurrently and reports them in path order', async () => {
    const root = await makeTempDir(made);
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++)
      files[`dir${i % 4}/file${String(i).padStart(2, '0')}.env`] = `K=${a.secret}\n`;
    await writeTree(root, files);

    const run = await runCli(['scan', '-f', 'json'], { cwd: root });

    const paths = (JSON.parse(run.stdout) as JsonReport).findings.map((f) => f.path);
    expect(paths).toEqual(Object.keys(files).sort());
  });
});

describe('keywarden scan --diff', () => {
  function diffText(): string {
    const old = a.rule.sample('removed-line');
    return [
      'diff --git a/src/settings.py b/src/settings.py',
      'index 1111111..2222222 100644',
      '--- a/src/settings.py',
      '+++ b/src/settings.py',
      '@@ -10,3 +10,4 @@ import os',
      ' DEBUG = False',
      `-API_KEY = "${old}"`,
      '+API_KEY = os.environ["API_KEY"]',
      `+FALLBACK = "${a.secret}"`,
      ' TIMEOUT = 5',
      'diff --git a/old/creds.env b/old/creds.env',
      'deleted file mode 100644',
      'index 3333333..0000000',
      '--- a/old/creds.env',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      `-KEY=${b.secret}`,
      'diff --git a/img/logo.png b/img/logo.png',
      'index 4444444..5555555 100644',
      'Binary files a/img/logo.png and b/img/logo.png differ',
      '',
    ].join('\n');
  }

  it('scans added lines only, with new-file line numbers and the b/ path', async () => {
    const root = await makeTempDir(made);
    await writeFile(join(root, 'change.diff'), diffText());

    const run = await runCli(['scan', '--diff', 'change.diff', '--format', 'json'], { cwd: root });

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      findings: [expected(a, 'src/settings.py', 12, 13)],
      skipped: skipped({ deleted: 1, binary: 1 }),
    });
  });

  it('reads the diff from stdin with -', async () => {
    const root = await makeTempDir(made);

    const run = await runCli(['scan', '--diff', '-', '-f', 'json'], { cwd: root, stdin: diffText() });

    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as JsonReport).findings).toEqual([expected(a, 'src/settings.py', 12, 13)]);
  });

  it('applies paths.ignore to the diff paths', async () => {
    const root = await makeTempDir(made);
    await writeTree(root, { 'kw.yml': "paths:\n  ignore: ['src/**']\n" });

    const run = await runCli(['scan', '--diff', '-', '-c', 'kw.yml', '-f', 'json'], {
      cwd: root,
      stdin: diffText(),
    });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      findings: [],
      skipped: skipped({ deleted: 1, binary: 1, 'ignored-path': 1 }),
    });
  });

  it('exits 0 on an empty diff', async () => {
    const root = await makeTempDir(made);

    const run = await runCli(['scan', '--diff', '-', '-f', 'json'], { cwd: root, stdin: '' });

    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as JsonReport).findings).toEqual([]);
  });
});

describe('baselines', () => {
  it('leaves out every finding of a baseline made from keywarden JSON output', async () => {
    const root = await repoWithTwoKeys();
    const first = await runCli(['scan', '-f', 'json', '-o', 'baseline.json'], { cwd: root });

    const json = await runCli(['scan', '-f', 'json', '--baseline', 'baseline.json'], { cwd: root });
    const text = await runCli(['scan', '--baseline', 'baseline.json'], { cwd: root });

    expect(first.code).toBe(1);
    expect(first.stdout).toBe('');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as JsonReport).findings).toEqual([]);
    expect(text.stdout).toContain('No secrets found.');
    expect(text.stdout).toContain('Suppressed 2 by baseline, 0 by keywarden:allow.');
  });

  it('accepts {"fingerprints": [...]} and keeps findings not listed', async () => {
    const root = await repoWithTwoKeys();
    const listed = { fingerprints: [fingerprint(a.secret, DEFAULT_FINGERPRINT_KEY)] };
    await writeFile(join(root, 'known.json'), JSON.stringify(listed));

    const run = await runCli(['scan', '-f', 'json', '--baseline', 'known.json'], { cwd: root });

    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as JsonReport).findings).toEqual([
      expected(b, 'src/app/client.py', 3, 26),
    ]);
  });

  it('refuses a baseline that is not JSON or has no fingerprints', async () => {
    const root = await repoWithTwoKeys();
    await writeTree(root, { 'bad.json': '{ not json', 'other.json': '{"keys": []}' });

    const notJson = await runCli(['scan', '--baseline', 'bad.json'], { cwd: root });
    const wrongShape = await runCli(['scan', '--baseline', 'other.json'], { cwd: root });
    const missing = await runCli(['scan', '--baseline', 'nope.json'], { cwd: root });

    expect(notJson).toEqual({
      code: 2,
      stdout: '',
      stderr: `keywarden: baseline file ${root}/bad.json is not valid JSON\n`,
    });
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.stderr).toContain('is neither keywarden JSON output nor {"fingerprints": [...]}');
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: `keywarden: cannot read baseline file ${root}/nope.json: no such file\n`,
    });
  });
});

describe('config', () => {
  it('skips paths matched by paths.ignore and counts them', async () => {
    const root = await repoWithTwoKeys();
    await writeTree(root, { 'keywarden.yml': "paths:\n  ignore: ['config/**']\n" });

    const run = await runCli(['scan', '--config', 'keywarden.yml', '-f', 'json'], { cwd: root });

    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.path)).toEqual(['src/app/client.py']);
    expect(report.skipped).toEqual(skipped({ 'ignored-path': 1 }));
  });

  it('reads .github/keywarden.yml of the scanned folder when --config is not given', async () => {
    const root = await repoWithTwoKeys();
    await writeTree(root, { '.github/keywarden.yml': `rules:\n  disable: [${a.rule.provider}]\n` });

    const run = await runCli(['scan', root, '-f', 'json'], { cwd: '/' });

    expect((JSON.parse(run.stdout) as JsonReport).findings.map((f) => f.ruleId)).toEqual([b.rule.id]);
  });

  it('runs only the rules listed in rules.enable', async () => {
    const root = await repoWithTwoKeys();
    await writeTree(root, { 'kw.yml': `rules:\n  enable: [${b.rule.id}]\n` });

    const run = await runCli(['scan', '-c', 'kw.yml', '-f', 'json'], { cwd: root });

    expect((JSON.parse(run.stdout) as JsonReport).findings.map((f) => f.ruleId)).toEqual([b.rule.id]);
  });

  it('warns about rule ids that name nothing, and still scans', async () => {
    const root = await repoWithTwoKeys();
    await writeTree(root, { 'kw.yml': 'rules:\n  disable: [no-such-family]\n' });

    const run = await runCli(['scan', '-c', 'kw.yml', '-f', 'json'], { cwd: root });

    expect(run.code).toBe(1);
    expect(run.stderr).toBe('keywarden: warning: config names unknown rules or families: no-such-family\n');
  });

  it('exits 2 on an invalid config, naming the file and the field', async () => {
    const root = await repoWithTwoKeys();
    await writeTree(root, { '.github/keywarden.yml': 'paths:\n  ignore: 42\nseverityThreshold: severe\n' });

    const run = await runCli(['scan', '-f', 'json'], { cwd: root });

    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `keywarden: invalid config file ${root}/.github/keywarden.yml: paths.ignore: expected array, received number; ` +
        'severityThreshold: expected one of "low"|"medium"|"high"|"critical"\n',
    });
  });
});

describe('special files', () => {
  it('drops a UTF-8 byte-order mark so columns match the editor', async () => {
    const root = await makeTempDir(made);
    await mkdir(join(root, 'x'));
    await writeFile(join(root, 'x', 'bom.env'), `\ufeffAPI_KEY=${a.secret}\n`);

    const run = await runCli(['scan', '-f', 'json'], { cwd: root });

    expect((JSON.parse(run.stdout) as JsonReport).findings).toEqual([expected(a, 'x/bom.env', 1, 9)]);
  });
});
