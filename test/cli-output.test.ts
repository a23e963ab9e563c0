/** `keywarden scan`: usage errors, text output, fingerprint keys, and that no raw secret is ever printed. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedFinding,
  type JsonReport,
  makeTempDir,
  type PlantedKey,
  plantableKeys,
  removeAll,
  runCli,
  twoKeyRepo,
  writeTree,
} from './cli-harness.js';

const made: string[] = [];
afterEach(() => removeAll(made));

let a: PlantedKey;
let b: PlantedKey;
beforeAll(() => {
  const keys = plantableKeys('cli-output-test');
  expect(keys.length).toBeGreaterThanOrEqual(2);
  [a, b] = keys as [PlantedKey, PlantedKey];
});

const expected = expectedFinding;

async function repoWithTwoKeys(): Promise<string> {
  const root = await makeTempDir(made);
  await writeTree(root, twoKeyRepo(a, b));
  return root;
}

function expectNoSecret(texts: readonly string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(a.secret);
    expect(text).not.toContain(b.secret);
  }
}

describe('usage and input errors', () => {
  it.each([
    [['scan', '--bogus'], "keywarden: unknown option '--bogus'"],
    [['scan', '-x'], "keywarden: unknown option '-x'"],
    [['scan', '--format', 'xml'], "keywarden: unknown format 'xml' (expected one of: text, json, sarif)"],
    [['scan', '--format'], "keywarden: option '-f, --format <value>' argument missing"],
    [['scan', 'missing-dir'], 'keywarden: path not found: missing-dir'],
    [
      ['scan', '--diff', 'x.diff', 'src'],
      'keywarden: --diff cannot be combined with paths: scan either a diff or files',
    ],
    [
      ['scan', '--max-file-size', 'lots'],
      "keywarden: invalid --max-file-size 'lots' (expected a positive size such as 1048576, 512K or 10M)",
    ],
  ])('%j → exit 2, one line on stderr', async (argv, message) => {
    const root = await makeTempDir(made);

    const run = await runCli(argv, { cwd: root });

    expect(run).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('exits 2 when the config, the diff or the output cannot be read or written', async () => {
    const root = await makeTempDir(made);
    await writeTree(root, { 'notes.txt': 'just some notes\nno diff here\n' });

    const config = await runCli(['scan', '--config', 'nope.yml'], { cwd: root });
    const diff = await runCli(['scan', '--diff', 'nope.diff'], { cwd: root });
    const notDiff = await runCli(['scan', '--diff', 'notes.txt'], { cwd: root });
    const output = await runCli(['scan', '-o', 'no/such/dir/out.txt'], { cwd: root });

    expect(config.stderr).toBe(`keywarden: cannot read config file ${root}/nope.yml: no such file\n`);
    expect(diff.stderr).toBe('keywarden: cannot read diff nope.diff: no such file or directory\n');
    expect(notDiff.stderr).toBe(
      'keywarden: cannot read diff notes.txt: not a unified diff: no "diff --git", "---/+++" or "@@" header found\n',
    );
    expect(output.stderr).toBe(
      `keywarden: cannot write output file ${root}/no/such/dir/out.txt: no such file or directory\n`,
    );
    expect([config.code, diff.code, notDiff.code, output.code]).toEqual([2, 2, 2, 2]);
  });

  it('exits 2 with usage on an unknown command or none', async () => {
    const root = await makeTempDir(made);

    const unknown = await runCli(['serve-all'], { cwd: root });
    const none = await runCli([], { cwd: root });

    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe("keywarden: unknown command 'serve-all'");
    expect(unknown.stderr).toContain('Usage: keywarden <command>');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: keywarden <command>');
  });

  it('exits 2, not 1, on an unexpected internal error', async () => {
    const root = await makeTempDir(made);
    const broken = { ...a.rule, pattern: /no-secret-group/ };

    const run = await runCli(['scan'], { cwd: root, rules: [broken] });

    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `keywarden: unexpected error: rule ${a.rule.id}: pattern has no named group "secret"\n`,
    });
  });

  it('prints help and the version with exit 0', async () => {
    const root = await makeTempDir(made);
    const pkg = JSON.parse(await readFile(join(import.meta.dirname, '../package.json'), 'utf8')) as {
      version: string;
    };

    const help = await runCli(['scan', '--help'], { cwd: root });
    const version = await runCli(['--version'], { cwd: root });

    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: keywarden scan [options] [PATH...]');
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('text output', () => {
  it('groups findings by file with line:column, severity, title, rule id and redacted value', async () => {
    const root = await repoWithTwoKeys();
    const [ea, eb] = [expected(a, 'config/.env', 3, 9), expected(b, 'src/app/client.py', 3, 26)];

    const run = await runCli(['scan'], { cwd: root });

    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'config/.env',
      `  3:9  ${ea.severity.padEnd(8)}  ${a.rule.title} (${a.rule.id})  ${ea.redacted}`,
      '',
      'src/app/client.py',
      `  3:26  ${eb.severity.padEnd(8)}  ${b.rule.title} (${b.rule.id})  ${eb.redacted}`,
      '',
    ]);
    expect(run.stdout).toContain('Found 2 secrets in 2 files');
    expect(run.stdout).toContain('"keywarden:allow" comment');
    expect(run.stdout).toContain('paths: { ignore: ["glob"] }');
    expect(run.stdout).toContain('keywarden scan --baseline baseline.json');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('colours only a terminal, and not when NO_COLOR is set', async () => {
    const root = await repoWithTwoKeys();

    const tty = await runCli(['scan'], { cwd: root, isTTY: true });
    const noColor = await runCli(['scan'], { cwd: root, isTTY: true, env: { NO_COLOR: '1' } });
    const toFile = await runCli(['scan', '-o', 'report.txt'], { cwd: root, isTTY: true });

    expect(tty.stdout).toContain('\u001b[1mconfig/.env\u001b[0m');
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(await readFile(join(root, 'report.txt'), 'utf8')).not.toContain('\u001b[');
    expect(toFile.stdout).toBe('');
  });

  it('notes the default fingerprint key on stderr in text mode only', async () => {
    const root = await repoWithTwoKeys();

    const text = await runCli(['scan'], { cwd: root });
    const json = await runCli(['scan', '-f', 'json'], { cwd: root });
    const keyed = await runCli(['scan'], { cwd: root, env: { KEYWARDEN_FINGERPRINT_KEY: 'team-key' } });

    expect(text.stderr).toBe(
      'keywarden: note: fingerprints use the default key; set KEYWARDEN_FINGERPRINT_KEY to match a server\n',
    );
    expect(json.stderr).toBe('');
    expect(keyed.stderr).toBe('');
  });

  it('counts findings suppressed by an inline keywarden:allow comment', async () => {
    const root = await makeTempDir(made);
    await writeTree(root, { 'test.env': `API_KEY=${a.secret} # keywarden:allow\n` });

    const run = await runCli(['scan'], { cwd: root });

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'No secrets found. Scanned 1 file. Suppressed 0 by baseline, 1 by keywarden:allow.\n',
    );
  });
});

describe('fingerprints and secrecy', () => {
  it('fingerprints with KEYWARDEN_FINGERPRINT_KEY when set', async () => {
    const root = await repoWithTwoKeys();

    const run = await runCli(['scan', '-f', 'json'], {
      cwd: root,
      env: { KEYWARDEN_FINGERPRINT_KEY: 'team-key' },
    });

    expect((JSON.parse(run.stdout) as JsonReport).findings).toEqual([
      expected(a, 'config/.env', 3, 9, 'team-key'),
      expected(b, 'src/app/client.py', 3, 26, 'team-key'),
    ]);
  });

  it('never prints a raw secret in any format, to any stream or file', async () => {
    const root = await repoWithTwoKeys();
    await writeFile(
      join(root, 'change.diff'),
      `--- a/x.env\n+++ b/x.env\n@@ -0,0 +1,2 @@\n+A=${a.secret}\n+B=${b.secret}\n`,
    );
    const outputs: string[] = [];

    for (const format of ['text', 'json', 'sarif']) {
      for (const extra of [[], ['--diff', 'change.diff'], ['-o', `out.${format}`]]) {
        const run = await runCli(['scan', '-f', format, ...extra], { cwd: root, isTTY: true });
        expect(run.code).toBe(1);
        outputs.push(run.stdout, run.stderr);
      }
      outputs.push(await readFile(join(root, `out.${format}`), 'utf8'));
    }

    expect(outputs.join('').length).toBeGreaterThan(1000);
    expectNoSecret(outputs);
  });
});
