import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFingerprintKey, plantedKey } from '../src/demo/key.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redact } from '../src/engine/redact.js';
import { builtBin, type CliRun, childEnv } from './support/serve.js';

/**
 * `npm run demo` as a newcomer runs it: the built `dist/demo/index.js` in a process of its own, with
 * nothing but PATH and HOME in its environment. The seed makes its planted key known to the test, which
 * then checks that the key never reaches the output.
 */

const SEED = 'demo-test';
const key = plantedKey(SEED);

let work: string;
let run: CliRun;

function runDemo(script: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--seed', SEED], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  const script = join(dirname(builtBin()), '../dist/demo/index.js');
  work = await mkdtemp(join(tmpdir(), 'keywarden-demo-test-'));
  // The demo's temporary folder goes under `work`, to check that it is removed.
  run = await runDemo(script, childEnv({ TMPDIR: work }));
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** The lines of one numbered step of the output, up to the next step. */
function step(title: RegExp): string {
  const start = run.stdout.search(title);
  expect(start, `no step matching ${title}`).toBeGreaterThanOrEqual(0);
  const rest = run.stdout.slice(start + 1);
  const end = rest.search(/\n\d{1,2}\. /);
  return run.stdout.slice(start, end === -1 ? undefined : start + 1 + end);
}

describe('npm run demo', () => {
  it('exits 0 and removes its temporary folder', async () => {
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(await readdir(work)).toEqual([]);
  });

  it('shows the failing check run with its annotation', () => {
    const checkRun = step(/^3\. The check run/m);

    expect(checkRun).toContain('keywarden: completed, conclusion failure');
    expect(checkRun).toContain('annotation config/.env:3 [failure]');
    expect(checkRun).toContain(redact(key, 'sk-proj-'));
    expect(checkRun).toContain('summary:');
  });

  it('shows the issue assigned to the code owners: the team expanded, and the owner by name', () => {
    const issue = step(/^4\. The remediation issue/m);
    const assignees = /assignees: (.{1,200})/.exec(issue)?.[1]?.split(' ') ?? [];

    expect(issue).toMatch(/demo-org\/payments#\d{1,4} ".{1,200}" \(open, opened by keywarden\[bot\]\)/);
    expect(issue).toMatch(/labels: {4}.{0,200}keywarden/);
    expect([...assignees].sort()).toEqual(['@alice', '@dana', '@erin']);
    expect(issue).toContain(`${fingerprint(key, demoFingerprintKey(SEED)).slice(0, 16)}`);
  });

  it('shows the verification at the OpenAI stand-in once the issue is open', () => {
    const issue = step(/^4\. The remediation issue/m);

    expect(issue).toContain('**Verification at openai: live.**');
  });

  it("shows GitHub's alert for the same key joining the same issue, flagging the push protection bypass", () => {
    const alert = step(/^5\. GitHub secret scanning raises alert #1/m);

    expect(alert).toContain('### GitHub secret scanning');
    expect(alert).toContain('**Push protection was bypassed** by @sam');
    expect(alert).toContain('GitHub secret scanning also reported this credential: alert [#1]');
  });

  it("shows keywarden's replies: a refusal for a bystander, the confirm that revokes the key, rotated", () => {
    const refused = step(/^6\. @mallory/m);
    const confirm = step(/^7\. @dana .{1,100}"\/keywarden confirm"/m);
    const rotated = step(/^10\. @alice .{1,100}"\/keywarden rotated"/m);

    expect(refused).toContain('@keywarden[bot] commented:');
    expect(refused).toContain('@mallory');
    expect(confirm).toMatch(/notified.{1,40}confirmed/);
    expect(confirm).toContain('keywarden now revokes the key at openai through its API');
    expect(confirm).toContain('**Revoked at openai.**');
    expect(confirm).toContain('- Before: **live**');
    expect(confirm).toContain('- After: **dead**');
    expect(confirm).toContain('Resolved as revoked on GitHub: secret scanning alert [#1]');
    expect(rotated).toMatch(/revoked.{1,40}rotated.{1,40}closed/);
  });

  it('shows the key deleted at the OpenAI stand-in, the leaked key sent only to the verification endpoint', () => {
    const openai = step(/^8\. At OpenAI/m);
    const withKey = openai.split('\n').filter((line) => line.includes('with the leaked key itself'));

    expect(withKey).toHaveLength(3);
    for (const line of withKey) expect(line).toMatch(/^ {4}GET {4}\/v1\/models /);
    expect(openai).toMatch(
      /DELETE \/v1\/organization\/projects\/proj_[0-9a-f]{16}\/api_keys\/key_[0-9a-f]{16} 200/,
    );
    expect(openai).toMatch(/in project "payments": deleted/);
  });

  it('shows the GitHub alert resolved as revoked, linking the issue', () => {
    const alert = step(/^9\. GitHub alert #1 now/m);

    expect(alert).toMatch(
      /resolved as revoked by @keywarden\[bot\], with the comment "keywarden: http:\/\/127\.0\.0\.1:\d{2,5}\/demo-org\/payments\/issues\/1"/,
    );
  });

  it('shows the inventory record: state, redacted preview, fingerprint prefix, the exposure and the audit trail', () => {
    const record = step(/^12\. The inventory record/m);
    const prefix = fingerprint(key, demoFingerprintKey(SEED)).slice(0, 16);

    expect(record).toContain('credential   openai.project-key (openai, class model-api, severity high)');
    expect(record).toContain(`redacted     ${redact(key, 'sk-proj-')}`);
    expect(record).toContain(`fingerprint  ${prefix}…`);
    expect(record).toContain('state        closed');
    expect(record).toMatch(
      /exposures {4}1\n {4} {2}demo-org\/payments@[0-9a-f]{7} config\/\.env:3 \(push to refs\/heads\/main\)/,
    );
    expect(record).toMatch(/detected by sam/);
    for (const kind of [
      'alert:opened by sam',
      'revoke:revoked by keywarden',
      'verify:dead by keywarden',
      'alert:resolved-by-keywarden',
    ]) {
      expect(record).toContain(kind);
    }
  });

  it('never prints the planted key, nor a long piece of it', () => {
    const output = run.stdout + run.stderr;

    expect(output).not.toContain(key);
    expect(output).not.toContain(key.slice(8, 28));
    expect(output).not.toContain(key.slice(-24));
  });
});
