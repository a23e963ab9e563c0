/**
 * What a benchmark section produces. `index.ts` runs the sections in order and prints their lines, then
 * every section's targets in one PASS/FAIL table; a new benchmark (webhook latency, …) is one more file
 * exporting a function that returns a `SectionOutput`.
 */
import type { Target } from './table.js';

export interface SectionOutput {
  title: string;
  lines: string[];
  targets: Target[];
}
