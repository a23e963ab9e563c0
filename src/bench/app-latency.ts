/**
 * Webhook acknowledgement latency: signed `push` deliveries sent one after another (concurrency 1) to one
 * `keywarden serve` process on PGlite, each timed from sending the POST to having read the response.
 * Every delivery is a real push of one small commit to a feature branch, so each one claims its delivery
 * and enqueues a scan job; the job workers run in the same process meanwhile, as in production.
 */
import type { AppStage } from './app-harness.js';
import { quantile } from './app-process.js';
import type { SectionOutput } from './section.js';
import { num } from './table.js';

export const DELIVERIES = 1000;
const WARMUP = 50;
/** The target for the 99th percentile, in milliseconds. */
export const ACK_P99_MS = 50;

export async function latencySection(stage: AppStage): Promise<SectionOutput> {
  const repo = stage.addRepo('latency', 5003);
  const pushes = Array.from({ length: WARMUP + DELIVERIES }, (_, i) =>
    stage.push(repo, 'feature/latency', { [`src/file-${i % 50}.ts`]: `export const n = ${i};\n` }),
  );

  const times: number[] = [];
  let failed = 0;
  const started = performance.now();
  for (const [i, push] of pushes.entries()) {
    const { status, ms } = await stage.deliver(push.delivery);
    if (status !== 200) failed++;
    if (i >= WARMUP) times.push(ms);
  }
  const sendMs = performance.now() - started;
  const drainStart = performance.now();
  let drained = true;
  try {
    const deadline = Date.now() + 300_000;
    for (const push of pushes) await stage.scanned(push.sha, Math.max(0, deadline - Date.now()));
  } catch {
    drained = false;
  }
  const drainMs = performance.now() - drainStart;

  const sorted = [...times].sort((a, b) => a - b);
  const p99 = quantile(sorted, 0.99);
  return {
    title: 'Webhook acknowledgement latency',
    lines: [
      `${DELIVERIES} signed push deliveries (after ${WARMUP} warm-up), sequential (concurrency 1), to one ` +
        '`keywarden serve` process on PGlite (KEYWARDEN_DATA_DIR), job workers running in the same process; ' +
        'time = POST sent to response read, on a keep-alive connection',
      `p50 ${num(quantile(sorted, 0.5), 2)} ms, p90 ${num(quantile(sorted, 0.9), 2)} ms, ` +
        `p99 ${num(p99, 2)} ms, max ${num(sorted.at(-1)!, 2)} ms; non-200 answers: ${failed}`,
      `${num(((WARMUP + DELIVERIES) / sendMs) * 1000, 0)} deliveries/s sent; ` +
        (drained
          ? `every scan job had finished ${num(drainMs / 1000, 1)} s after the last delivery`
          : 'the scan jobs had not all finished 300 s after the last delivery'),
    ],
    targets: [
      {
        name: `webhook ack p99 (${DELIVERIES} sequential pushes, PGlite)`,
        actual: `${num(p99, 1)} ms`,
        required: `< ${ACK_P99_MS} ms`,
        pass: failed === 0 && p99 < ACK_P99_MS,
      },
    ],
  };
}
