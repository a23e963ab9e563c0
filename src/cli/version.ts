import { readFileSync } from 'node:fs';

/** Where users read about keywarden (SARIF `informationUri`, `--help`). */
export const HOMEPAGE = 'https://github.com/keywarden/keywarden';

/** The package version, read from package.json (two levels up from both `src/cli/` and `dist/cli/`). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
