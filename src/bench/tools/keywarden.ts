/**
 * keywarden as a benchmarked tool: every rule compiled once, then each file read and scanned as one
 * fragment, exactly as `keywarden scan` does for a working tree.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_FINGERPRINT_KEY } from '../../engine/fingerprint.js';
import { compileRules, scan } from '../../engine/scan.js';
import { allRules } from '../../rules/registry.js';
import type { BenchTool, PassResult, ToolHit } from './tool.js';

/** Builds the tool; the rules are compiled here, outside the measured passes. */
export async function createTool(): Promise<BenchTool> {
  const compiled = compileRules(allRules);
  return {
    async pass(files: readonly string[]): Promise<PassResult> {
      const hits: ToolHit[] = [];
      let readMs = 0;
      for (let index = 0; index < files.length; index++) {
        const path = files[index]!;
        const readStart = performance.now();
        const text = readFileSync(path, 'utf8');
        readMs += performance.now() - readStart;
        const findings = scan([{ path, text }], compiled, { fingerprintKey: DEFAULT_FINGERPRINT_KEY });
        for (const finding of findings) hits.push([index, finding.line, finding.ruleId]);
      }
      return { hits, readMs };
    },
  };
}
