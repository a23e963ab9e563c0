/**
 * Finding value-shaped candidates for window rules. Most value shapes are one character class of a fixed
 * length between two boundaries (`(?<![A-Za-z0-9])(?:[a-f0-9]{32})(?![A-Za-z0-9_-])`): those are scanned
 * by a table-driven loop, several times faster than the regular expression on keyword floods. Any other
 * shape runs as the regular expression it is.
 */

/** Finds candidates in `text[from, to)`, calling `found(start, end)` for each, in order. */
export type ValueScanner = (
  text: string,
  from: number,
  to: number,
  found: (start: number, end: number) => void,
) => void;

const SIMPLE_SHAPE = /^\(\?<!\[([^\]\\]+)\]\)\(\?:\[([^\]\\]+)\]\{(\d+)(?:,(\d+))?\}\)\(\?!\[([^\]\\]+)\]\)$/;

/** A scanner for `shape`: the fast loop when the shape is simple, the regular expression otherwise. */
export function valueScanner(shape: RegExp): ValueScanner {
  const simple = SIMPLE_SHAPE.exec(shape.source);
  if (simple && !shape.flags.includes('i')) {
    const before = asciiClass(simple[1]!);
    const value = asciiClass(simple[2]!);
    const after = asciiClass(simple[5]!);
    if (before && value && after && subset(value, after)) {
      const min = Number(simple[3]);
      const max = simple[4] === undefined ? min : Number(simple[4]);
      return runScanner(before, value, after, min, max);
    }
  }
  const regex = new RegExp(shape.source, `${shape.flags.replace(/[gyd]/g, '')}g`);
  return (text, from, to, found) => {
    const slice = text.slice(from, to);
    regex.lastIndex = 0;
    for (let match = regex.exec(slice); match !== null; match = regex.exec(slice)) {
      found(from + match.index, from + match.index + match[0].length);
      if (match[0].length === 0) regex.lastIndex++;
    }
  };
}

/**
 * What the regular expression `(?<![before])(?:[value]{min,max})(?![after])` finds, when every value
 * character is also an `after` character: within each maximal run of value characters, the first start
 * not preceded by a `before` character whose rest of the run has a length in `[min, max]`. Linear: each
 * run is walked once. Like the regular expression on a slice, nothing outside `[from, to)` is looked at.
 */
function runScanner(
  before: Uint8Array,
  value: Uint8Array,
  after: Uint8Array,
  min: number,
  max: number,
): ValueScanner {
  const isValue = (code: number) => code < 128 && value[code] === 1;
  return (text, from, to, found) => {
    let i = from;
    while (i < to) {
      if (!isValue(text.charCodeAt(i))) {
        i++;
        continue;
      }
      let runEnd = i + 1;
      while (runEnd < to && isValue(text.charCodeAt(runEnd))) runEnd++;
      const next = runEnd < to ? text.charCodeAt(runEnd) : -1;
      const blockedAfter = next >= 0 && next < 128 && after[next] === 1;
      for (let start = i; start < runEnd && !blockedAfter; start++) {
        const length = runEnd - start;
        if (length < min) break;
        const previous = start > from ? text.charCodeAt(start - 1) : -1;
        if (previous >= 0 && previous < 128 && before[previous] === 1) continue;
        if (length <= max) {
          found(start, runEnd);
          break;
        }
      }
      i = runEnd;
    }
  };
}

function subset(inner: Uint8Array, outer: Uint8Array): boolean {
  for (let code = 0; code < 128; code++) if (inner[code] === 1 && outer[code] === 0) return false;
  return true;
}

/** The ASCII members of a character-class body such as `A-Za-z0-9/+` (escapes not supported). */
function asciiClass(body: string): Uint8Array | undefined {
  const table = new Uint8Array(128);
  for (let i = 0; i < body.length; i++) {
    const start = body.charCodeAt(i);
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const end = body.charCodeAt(i + 2);
      if (end < start || end >= 128) return undefined;
      for (let code = start; code <= end; code++) table[code] = 1;
      i += 2;
    } else {
      if (start >= 128) return undefined;
      table[start] = 1;
    }
  }
  return table;
}
