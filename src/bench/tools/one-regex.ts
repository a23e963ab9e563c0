/**
 * The baseline: ONE combined V8 regular expression for eight well-known key formats, run over the whole
 * text of every file with no keyword prefilter. This is what a hand-rolled scanner usually is.
 *
 * Formats (bounded quantifiers, no boundaries, case-sensitive):
 * AWS access key id `AKIA` + 16 upper/digits; GitHub classic PAT `ghp_` + 36 alnum; Slack `xox[abposr]-`
 * + 10–72 token chars; OpenAI project key `sk-proj-` + 40–200 base64url; Anthropic `sk-ant-api03-` + 93
 * base64url + `AA`; Google API key `AIza` + 35 base64url; Hugging Face `hf_` + 34 letters; npm `npm_` + 36
 * alnum.
 */
import { readFileSync } from 'node:fs';
import type { BenchTool, PassResult, ToolHit } from './tool.js';

/** The eight formats, in the order they appear in the alternation; the id is the matched prefix. */
export const ONE_REGEX_FORMATS: ReadonlyArray<{ id: string; source: string }> = [
  { id: 'AKIA', source: 'AKIA[0-9A-Z]{16}' },
  { id: 'ghp_', source: 'ghp_[A-Za-z0-9]{36}' },
  { id: 'xox', source: 'xox[abposr]-[0-9A-Za-z-]{10,72}' },
  { id: 'sk-proj-', source: 'sk-proj-[A-Za-z0-9_-]{40,200}' },
  { id: 'sk-ant-api03-', source: 'sk-ant-api03-[A-Za-z0-9_-]{93}AA' },
  { id: 'AIza', source: 'AIza[0-9A-Za-z_-]{35}' },
  { id: 'hf_', source: 'hf_[A-Za-z]{34}' },
  { id: 'npm_', source: 'npm_[A-Za-z0-9]{36}' },
];

/** A fresh global regex with every format as one alternation. */
export function oneRegex(): RegExp {
  return new RegExp(ONE_REGEX_FORMATS.map((format) => format.source).join('|'), 'g');
}

/** Every match of the combined regex as `[line, formatId]`, lines 1-based. */
export function matchLines(text: string, regex: RegExp): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let line = 1;
  let counted = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1))
      line++;
    counted = match.index;
    const value = match[0];
    const format = ONE_REGEX_FORMATS.find((candidate) => value.startsWith(candidate.id));
    out.push([line, format?.id ?? 'unknown']);
  }
  return out;
}

/** Builds the baseline tool. */
export async function createTool(): Promise<BenchTool> {
  const regex = oneRegex();
  return {
    async pass(files: readonly string[]): Promise<PassResult> {
      const hits: ToolHit[] = [];
      let readMs = 0;
      for (let index = 0; index < files.length; index++) {
        const readStart = performance.now();
        const text = readFileSync(files[index]!, 'utf8');
        readMs += performance.now() - readStart;
        for (const [line, id] of matchLines(text, regex)) hits.push([index, line, id]);
      }
      return { hits, readMs };
    },
  };
}
