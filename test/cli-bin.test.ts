import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type PlantedKey, plantableKeys, removeAll, writeTree } from './cli-harness.js';

/**
 * The shipped entry point end to end: `bin/keywarden.js` importing the compiled `dist/cli/main.js`, in a
 * real process. The build goes to a private folder under node_modules/.cache (so the dependencies
 * resolve and the repository's own dist/ is left alone), laid out as the package is.
 */

const ROOT = join(import.meta.dirname, '..');
let packageDir: string;
const made: string[] = [];
let key: PlantedKey;

beforeAll(async () => {
  await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true });
  packageDir = await mkdtemp(join(ROOT, 'node_modules/.cache/keywarden-bin-'));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(packageDir, 'dist')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  await mkdir(join(packageDir, 'bin'));
  await copyFile(join(ROOT, 'bin/keywarden.js'), join(packageDir, 'bin/keywarden.js'));
  await copyFile(join(ROOT, 'package.json'), join(packageDir, 'package.json'));
  key = plantableKeys('cli-bin')[0]!;
});

afterAll(() => rm(packageDir, { recursive: true, force: true }));
afterEach(() => removeAll(made));

function keywarden(args: string[], cwd: string, input?: string) {
  const { KEYWARDEN_FINGERPRINT_KEY: _key, NO_COLOR: _noColor, ...env } = process.env;
  const run = spawnSync(process.execPath, [join(packageDir, 'bin/keywarden.js'), ...args], {
    cwd,
    env,
    input,
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('bin/keywarden.js', () => {
  it('exits 1 with JSON findings, 0 when clean', async () => {
    const root = await makeTempDir(made);
    await writeTree(root, { 'app/.env': `X=1\nKEY=${key.secret}\n`, 'clean/readme.md': 'hello\n' });

    const found = keywarden(['scan', 'app', '--format', 'json'], root);
    const clean = keywarden(['scan', 'clean'], root);

    expect(found.stderr).toBe('');
    expect(found.code).toBe(1);
    const report = JSON.parse(found.stdout) as {
      findings: Array<{ path: string; line: number; ruleId: string }>;
    };
    expect(report.findings.map(({ path, line, ruleId }) => ({ path, line, ruleId }))).toEqual([
      { path: '.env', line: 2, ruleId: key.rule.id },
    ]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe('No secrets found. Scanned 1 file.\n');
    expect(found.stdout + found.stderr + clean.stdout + clean.stderr).not.toContain(key.secret);
  });

  it('reads a diff from stdin', async () => {
    const root = await makeTempDir(made);
    const diff = `--- a/k.env\n+++ b/k.env\n@@ -1 +1,2 @@\n x\n+KEY=${key.secret}\n`;

    const run = keywarden(['scan', '--diff', '-', '-f', 'json'], root, diff);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: Array<{ path: string; line: number }> };
    expect(report.findings.map(({ path, line }) => ({ path, line }))).toEqual([{ path: 'k.env', line: 2 }]);
  });

  it('exits 2 with one line on stderr for an unknown flag', async () => {
    const root = await makeTempDir(made);

    const run = keywarden(['scan', '--frobnicate'], root);

    expect(run).toEqual({ code: 2, stdout: '', stderr: "keywarden: unknown option '--frobnicate'\n" });
  });
});
