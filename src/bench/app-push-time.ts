/**
 * Push to check run: a push adding about 1 MB of real JavaScript (slices of TypeScript's compiler from
 * node_modules) across four files, so the compare API returns every patch, with three keys planted. Timed
 * from sending the delivery to the `keywarden` check run being completed at the stand-in, which polls
 * its own state every millisecond (it runs in this process).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allRules } from '../rules/registry.js';
import type { AppStage } from './app-harness.js';
import { quantile } from './app-process.js';
import type { SectionOutput } from './section.js';
import { num } from './table.js';

const RUNS = 5;
const FILES = 4;
const FILE_BYTES = 256 * 1024;
const SPACING_MS = 1500;
const PLANTED_RULES = ['openai.project-key', 'anthropic.api-key', 'huggingface.user-token'];

/** `bytes` of whole lines of `source` from `offset` on. */
function slice(source: string, offset: number, bytes: number): string {
  const start = source.indexOf('\n', offset) + 1;
  const end = source.lastIndexOf('\n', start + bytes) + 1;
  return source.slice(start, end);
}

/** Four ~256 KB files for run `run`, with one planted key line in three of them. */
function pushFiles(source: string, run: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    const lines = slice(source, (run * FILES + i) * FILE_BYTES + 1000, FILE_BYTES).split('\n');
    const ruleId = PLANTED_RULES[i];
    const rule = ruleId ? allRules.find((r) => r.id === ruleId) : undefined;
    if (rule) lines.splice(100 + 37 * i, 0, `const apiKey = "${rule.sample(`bench-push-${run}-${i}`)}";`);
    files[`vendor/run-${run}/part-${i + 1}.js`] = lines.join('\n');
  }
  return files;
}

/** Polls the stand-in until the check run of `sha` is completed; notes when it was first created. */
async function checkRunCompleted(
  stage: AppStage,
  repo: string,
  sha: string,
  started: number,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  let createdMs: number | undefined;
  for (;;) {
    const run = stage.github.checkRuns(repo).find((r) => r.head_sha === sha);
    if (run && createdMs === undefined) createdMs = performance.now() - started;
    if (run?.status === 'completed')
      return { run, createdMs: createdMs!, completedMs: performance.now() - started };
    if (Date.now() > deadline) throw new Error(`no completed check run after ${timeoutMs} ms`);
    await sleep(1);
  }
}

export async function pushTimeSection(stage: AppStage, project: string): Promise<SectionOutput> {
  const source = readFileSync(join(project, 'node_modules/typescript/lib/typescript.js'), 'utf8');
  const repo = stage.addRepo('big-push', 5002);
  const times: number[] = [];
  const rows: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Apart from the previous run's last write, so that each push is timed alone (see the throttling note).
    await sleep(SPACING_MS);
    const files = pushFiles(source, run);
    const bytes = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    const { sha, delivery } = stage.push(repo, 'main', files);
    const started = performance.now();
    const { status } = await stage.deliver(delivery);
    if (status !== 200) throw new Error(`push delivery answered ${status}`);
    const done = await checkRunCompleted(stage, repo, sha, started);
    times.push(done.completedMs);
    rows.push(
      `run ${run + 1}: ${num(bytes / 1e6, 2)} MB added in ${FILES} files; check run created after ` +
        `${num(done.createdMs, 0)} ms, completed after ${num(done.completedMs, 0)} ms ` +
        `(${done.run.output.annotations.length} annotations, ${PLANTED_RULES.length} keys planted, ` +
        `conclusion ${done.run.conclusion})`,
    );
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    title: 'Push to check run (1 MB diff, stand-in GitHub)',
    lines: [
      `${RUNS} pushes to the default branch of one repository, ${SPACING_MS / 1000} s apart, each adding ~1 MB ` +
        'of JavaScript; time from sending the delivery to the check run completed at the stand-in, on a warm ' +
        'process (token cached). ' +
        "Probot's throttling spaces content-creating requests >= 1 s apart per process, so creating and " +
        'then completing a check run costs >= 1 s by itself',
      ...rows,
      `median ${num(quantile(sorted, 0.5), 0)} ms, max ${num(sorted.at(-1)!, 0)} ms`,
    ],
    targets: [],
  };
}
