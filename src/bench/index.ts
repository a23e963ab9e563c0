/**
 * `npm run bench`: builds the corpus, runs each section, prints their tables and one PASS/FAIL table of
 * every target. Prints counts, rates, ids and locations only, never a planted value (a guard replaces
 * any that would slip into a line and reports how many it replaced).
 *
 * Sections: `comparison.ts` (keywarden vs secretlint vs one regex on the corpus), `adversarial.ts`
 * (keywarden's worst input), `app-sections.ts` (the GitHub App: webhook acknowledgement latency, push to
 * check run for a 1 MB diff, GitHub API requests per push; a stand-in GitHub and `keywarden serve`). The exit code is 0 when the run completes, whatever the targets say.
 */
import { fileURLToPath } from 'node:url';
import { allRules } from '../rules/registry.js';
import { adversarialSection } from './adversarial.js';
import { appSections } from './app-sections.js';
import { MEASURED_PASSES, runComparison, WARMUP_PASSES } from './comparison.js';
import { buildCorpus } from './corpus.js';
import type { SectionOutput } from './section.js';
import { guardedPrinter, num, renderTargets } from './table.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS_BYTES = 50_000_000;
const MAX_FILE_BYTES = 1_000_000;
const PLANTED_KEYS = 300;

async function main(): Promise<void> {
  const started = performance.now();
  const corpusStart = performance.now();
  const { corpus, secrets } = buildCorpus({
    source: `${PROJECT}node_modules`,
    target: `${PROJECT}node_modules/.cache/keywarden-bench/corpus`,
    minBytes: CORPUS_BYTES,
    maxFileBytes: MAX_FILE_BYTES,
    plantCount: PLANTED_KEYS,
    rules: allRules,
  });
  const out = guardedPrinter(secrets);
  const plantedRules = new Set(corpus.planted.map((key) => key.ruleId)).size;
  const plantedFiles = new Set(corpus.planted.map((key) => key.file)).size;
  out.print('keywarden bench');
  out.print(
    `corpus node_modules/.cache/keywarden-bench/corpus: ${corpus.files.length} files, ${num(corpus.bytes / 1e6)} MB of node_modules ` +
      `JS/TS/JSON/MD files of <= 1 MB; ${corpus.planted.length} keys planted for ${plantedRules}/${allRules.length} rules ` +
      `in ${plantedFiles} files (${num(performance.now() - corpusStart, 0)} ms)`,
  );
  if (corpus.unplantable.length > 0) {
    out.print(`rules with no usable positive example (nothing planted): ${corpus.unplantable.join(', ')}`);
  }
  out.print(
    `method: each tool in its own child process; passes interleaved in rounds (${WARMUP_PASSES} warm-up ` +
      `round, then best of ${MEASURED_PASSES} measured rounds, the first tool rotating); ` +
      'MB/s = corpus bytes / wall time of a pass, reading files included; ' +
      'peak RSS = process.resourceUsage().maxRSS of the child; a planted key is found if the tool ' +
      'reports anything on its file and line',
  );
  out.print();

  const sections: SectionOutput[] = [];
  const comparison = await runComparison(corpus, (line) => out.print(line));
  sections.push(comparison.section);
  const keywarden = comparison.measurements.get('keywarden')!;
  out.print('running adversarial inputs …');
  sections.push(
    await adversarialSection(`${PROJECT}node_modules/.cache/keywarden-bench/adversarial`, {
      mbps: keywarden.mbps,
      scanMbps: keywarden.scanMbps ?? keywarden.mbps,
    }),
  );

  out.print('running the GitHub App benchmarks (stand-in GitHub, keywarden serve on PGlite) …');
  sections.push(...(await appSections(PROJECT, (line) => out.print(line))));

  for (const section of sections) {
    out.print();
    out.print(`== ${section.title}`);
    for (const line of section.lines) out.print(line);
  }
  const targets = sections.flatMap((section) => section.targets);
  out.print();
  out.print('== Targets');
  for (const line of renderTargets(targets)) out.print(line);
  out.print();
  out.print(
    `${targets.filter((target) => target.pass).length}/${targets.length} targets pass; ` +
      `total ${num((performance.now() - started) / 1000)} s; output guard replaced ${out.replaced} values`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `bench failed: ${error.message}` : 'bench failed');
  process.exitCode = 1;
});
