/**
 * What every benchmarked tool implements. A tool runs inside its own child process (see `worker.ts`),
 * so its peak RSS is its own; it reports locations and rule ids only, never a matched value.
 */

/** One reported finding: index of the file in the corpus list, 1-based line, the tool's rule id. */
export type ToolHit = [file: number, line: number, ruleId: string];

/** Result of one full pass over the corpus: every file read and scanned. */
export interface PassResult {
  hits: ToolHit[];
  /** Milliseconds spent reading files, when the tool reads them itself and can tell (else undefined). */
  readMs?: number;
}

export interface BenchTool {
  /** Reads every file in `files` (absolute paths) and scans it; one call is one measured pass. */
  pass(files: readonly string[]): Promise<PassResult>;
}

/** Names of the tools `worker.ts` can load; each is a module `tools/<name>.js` exporting `createTool`. */
export type ToolName = 'keywarden' | 'secretlint' | 'one-regex';

export const TOOL_NAMES = ['keywarden', 'secretlint', 'one-regex'] as const satisfies readonly ToolName[];
