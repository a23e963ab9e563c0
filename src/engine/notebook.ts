/**
 * Jupyter notebooks are scanned as the JSON text they are, so lines and columns stay those of the file;
 * only the base64 payloads of image outputs (`"image/png": "iVBOR…"`) are left out, since they are
 * data, not text a person wrote.
 */

const IMAGE_KEY = /"image\/[a-z0-9.+-]{1,40}"\s{0,20}:\s{0,20}/g;

/** Half-open `[start, end)` ranges of `text` holding notebook image payloads. */
export function notebookImageRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  IMAGE_KEY.lastIndex = 0;
  for (let match = IMAGE_KEY.exec(text); match !== null; match = IMAGE_KEY.exec(text)) {
    const start = match.index + match[0].length;
    const end = endOfJsonValue(text, start);
    ranges.push([start, end]);
    IMAGE_KEY.lastIndex = end;
  }
  return ranges;
}

/** End of a JSON string, or of an array of strings, starting at `start`. */
function endOfJsonValue(text: string, start: number): number {
  const open = text[start];
  if (open === '"') return endOfString(text, start);
  if (open !== '[') return start;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') i = endOfString(text, i);
    else if (ch === ']') return i + 1;
    else i++;
  }
  return text.length;
}

function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return text.length;
}
