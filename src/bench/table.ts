/**
 * Plain-text output of the benchmark: aligned tables, a targets block with PASS/FAIL, and a guard that
 * keeps any planted value out of what is printed.
 */

export type Align = 'left' | 'right';

/** Columns padded to their widest cell; `align[i]` defaults to left for column 0, right otherwise. */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align: Align[] = [],
): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const side = align[column] ?? (column === 0 ? 'left' : 'right');
        return side === 'left' ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** A target checked by the benchmark, printed next to the measured number. */
export interface Target {
  name: string;
  /** The measured value, formatted. */
  actual: string;
  /** The requirement with its threshold, e.g. `>= 201.3 MB/s (10 x secretlint)`. */
  required: string;
  pass: boolean;
}

/** The targets as a table with a PASS/FAIL column. */
export function renderTargets(targets: readonly Target[]): string[] {
  return renderTable(
    ['target', 'measured', 'required', 'result'],
    targets.map((target) => [target.name, target.actual, target.required, target.pass ? 'PASS' : 'FAIL']),
    ['left', 'right', 'left', 'left'],
  );
}

/** `1234.5` → `1234.5`; fixed decimals, `n/a` for non-finite values. */
export function num(value: number, decimals = 1): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : 'n/a';
}

/** A `Map<string, number>` as `key ×count` items, largest first, at most `limit` of them. */
export function counts(map: ReadonlyMap<string, number>, limit = 20): string {
  const items = [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = items.slice(0, limit).map(([key, count]) => `${key} ×${count}`);
  if (items.length > limit) shown.push(`… ${items.length - limit} more`);
  return shown.length === 0 ? 'none' : shown.join(', ');
}

/**
 * A printer that replaces any of `secrets` in a line before writing it (it should never have to; the
 * number of replacements is reported at the end so a slip is visible without exposing the value).
 */
export function guardedPrinter(secrets: readonly string[], write: (line: string) => void = console.log) {
  let replaced = 0;
  const needles = secrets.filter((secret) => secret.length >= 8);
  return {
    print(line = ''): void {
      let safe = line;
      for (const secret of needles) {
        if (!safe.includes(secret)) continue;
        safe = safe.split(secret).join('[planted key]');
        replaced++;
      }
      write(safe);
    },
    get replaced(): number {
      return replaced;
    },
  };
}
