/**
 * The side-by-side section: keywarden, secretlint and the one-regex baseline over the same corpus, each
 * in its own child process. The passes are interleaved in rounds (one warm-up round, then three measured
 * rounds, each starting with the next tool in turn) and each tool keeps its best measured pass, so load
 * from elsewhere on the machine hits all three alike rather than whichever ran last.
 */
import type { Corpus } from './corpus.js';
import { startWorker, type Worker } from './fork.js';
import { type Score, score } from './score.js';
import type { SectionOutput } from './section.js';
import { counts, num, renderTable, type Target } from './table.js';
import { TOOL_NAMES, type ToolHit, type ToolName } from './tools/tool.js';

export const WARMUP_PASSES = 1;
export const MEASURED_PASSES = 3;

const LABELS: Record<ToolName, string> = {
  keywarden: 'keywarden (all rules)',
  secretlint: 'secretlint 13 + preset-recommend',
  'one-regex': 'one V8 regex, 8 formats',
};

export interface ToolMeasurement {
  tool: ToolName;
  bestMs: number;
  mbps: number;
  /** MB/s of scanning alone (best pass minus its file reads), when the tool reports read time. */
  scanMbps?: number;
  rssMiB: number;
  setupMs: number;
  score: Score;
}

export interface Comparison {
  section: SectionOutput;
  measurements: Map<ToolName, ToolMeasurement>;
}

interface Best {
  ms: number;
  readMs?: number;
  hits: ToolHit[];
}

/** Runs every tool over `corpus` and scores it. `progress` is told what is running. */
export async function runComparison(corpus: Corpus, progress: (line: string) => void): Promise<Comparison> {
  const workers = new Map<ToolName, Worker>();
  const setupMs = new Map<ToolName, number>();
  for (const tool of TOOL_NAMES) {
    const worker = startWorker(tool);
    workers.set(tool, worker);
    const ready = await worker.request({ kind: 'setup', tool, files: corpus.files }, 'ready');
    setupMs.set(tool, ready.setupMs);
  }

  const best = new Map<ToolName, Best>();
  for (let round = 0; round < WARMUP_PASSES + MEASURED_PASSES; round++) {
    const measured = round >= WARMUP_PASSES;
    progress(
      measured ? `measured round ${round - WARMUP_PASSES + 1}/${MEASURED_PASSES} …` : 'warm-up round …',
    );
    for (let i = 0; i < TOOL_NAMES.length; i++) {
      const tool = TOOL_NAMES[(round + i) % TOOL_NAMES.length]!;
      const pass = await workers.get(tool)!.request({ kind: 'pass' }, 'pass');
      const current = best.get(tool);
      if (measured && (current === undefined || pass.ms < current.ms)) best.set(tool, pass);
    }
  }

  const mb = corpus.bytes / 1e6;
  const measurements = new Map<ToolName, ToolMeasurement>();
  for (const tool of TOOL_NAMES) {
    const { maxRssKiB } = await workers.get(tool)!.request({ kind: 'finish' }, 'finished');
    const pass = best.get(tool)!;
    measurements.set(tool, {
      tool,
      bestMs: pass.ms,
      mbps: mb / (pass.ms / 1000),
      ...(pass.readMs === undefined ? {} : { scanMbps: mb / ((pass.ms - pass.readMs) / 1000) }),
      rssMiB: maxRssKiB / 1024,
      setupMs: setupMs.get(tool)!,
      score: score(corpus.planted, pass.hits, tool === 'keywarden'),
    });
  }

  const rows = TOOL_NAMES.map((tool) => {
    const m = measurements.get(tool)!;
    return [
      LABELS[tool],
      num(m.mbps),
      m.scanMbps === undefined ? '-' : num(m.scanMbps),
      num(m.bestMs / 1000, 2),
      num(m.rssMiB),
      `${num(m.score.recall, 3)} (${m.score.found}/${m.score.planted})`,
      String(m.score.other),
      num(m.setupMs, 0),
    ];
  });
  const lines = renderTable(
    [
      'tool',
      'MB/s',
      'scan-only MB/s',
      'best pass s',
      'peak RSS MiB',
      'recall (found/planted)',
      'other findings',
      'setup ms',
    ],
    rows,
  );

  const keywarden = measurements.get('keywarden')!;
  const secretlint = measurements.get('secretlint')!;
  const baseline = measurements.get('one-regex')!;
  lines.push('');
  lines.push(`keywarden missed planted keys (rule#context): ${counts(keywarden.score.missed, 40)}`);
  lines.push(`keywarden found under another rule id: ${counts(keywarden.score.wrongRule, 40)}`);
  for (const m of [keywarden, secretlint, baseline]) {
    lines.push(`${m.tool} other findings by rule: ${counts(m.score.otherByRule, 15)}`);
  }

  const targets: Target[] = [
    {
      name: 'keywarden MB/s >= 10 x secretlint',
      actual: num(keywarden.mbps),
      required: `>= ${num(10 * secretlint.mbps)}`,
      pass: keywarden.mbps >= 10 * secretlint.mbps,
    },
    {
      name: 'keywarden MB/s >= one-regex / 1.5',
      actual: num(keywarden.mbps),
      required: `>= ${num(baseline.mbps / 1.5)}`,
      pass: keywarden.mbps >= baseline.mbps / 1.5,
    },
    {
      name: 'keywarden recall on planted keys',
      actual: num(keywarden.score.recall, 3),
      required: '>= 0.990',
      pass: keywarden.score.planted > 0 && keywarden.score.recall >= 0.99,
    },
  ];
  return { section: { title: 'Side by side (same corpus, one run)', lines, targets }, measurements };
}
