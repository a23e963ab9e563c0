/** Messages between `index.ts` (through `fork.ts`) and a `worker.ts` child. One response per request. */
import type { AdversarialResult } from './adversarial.js';
import type { ToolHit, ToolName } from './tools/tool.js';

export type WorkerRequest =
  /** Load the tool (compile rules, load config) and remember the corpus file list. */
  | { kind: 'setup'; tool: ToolName; files: string[] }
  /** One full pass over the files: read + scan, timed. */
  | { kind: 'pass' }
  /** Report peak RSS and exit. */
  | { kind: 'finish' }
  /** Generate the adversarial inputs in `dir` (recreated), time keywarden on each, report, exit. */
  | { kind: 'adversarial'; dir: string };

export type WorkerResponse =
  | { kind: 'ready'; setupMs: number }
  /** `ms`: wall time of the pass, reading included; `readMs`: reading alone, when the tool can tell. */
  | { kind: 'pass'; ms: number; readMs?: number; hits: ToolHit[] }
  | { kind: 'finished'; maxRssKiB: number }
  | { kind: 'adversarial'; result: AdversarialResult; maxRssKiB: number }
  | { kind: 'error'; message: string };
