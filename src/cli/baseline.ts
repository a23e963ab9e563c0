import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from './errors.js';

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** A fingerprint as keywarden writes it: HMAC-SHA-256, 64 lower-case hex characters. */
const Fingerprint = z.string().regex(FINGERPRINT, 'expected a 64-character hex fingerprint');

/**
 * A baseline file: either keywarden's own `--format json` output (only `findings[].fingerprint` is
 * read) or a plain list `{ "fingerprints": [...] }`.
 */
export const Baseline = z.union([
  z.object({ fingerprints: z.array(Fingerprint) }),
  z.object({ findings: z.array(z.object({ fingerprint: Fingerprint })) }),
]);
export type Baseline = z.infer<typeof Baseline>;

/** Reads a baseline file into a set of fingerprints. Throws `UsageError` naming the file and the problem. */
export async function loadBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read baseline file ${file}: ${code === 'ENOENT' ? 'no such file' : code}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`baseline file ${file} is not valid JSON`);
  }
  const result = Baseline.safeParse(value);
  if (!result.success) {
    throw new UsageError(
      `baseline file ${file} is neither keywarden JSON output nor {"fingerprints": [...]} ` +
        '(expected 64-character hex fingerprints)',
    );
  }
  const list =
    'fingerprints' in result.data
      ? result.data.fingerprints
      : result.data.findings.map((finding) => finding.fingerprint);
  return new Set(list);
}
