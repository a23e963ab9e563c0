/**
 * Small, safe Markdown pieces for check run summaries. Paths and previews come from repositories, so
 * they are put in code spans that no backtick in them can close, with table pipes escaped.
 */

/** `text` as an inline code span, safe inside a table cell. */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]{1,2}/g, ' ').replace(/\|/g, '\\|');
  let fence = '`';
  while (flat.includes(fence)) fence += '`';
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text for a table cell: no line breaks, pipes and Markdown markers escaped. */
export function cell(text: string): string {
  return text.replace(/[\r\n]{1,2}/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** `n thing` / `n things`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes (which also keeps it under as many characters), at a
 * line end when there is one, never inside a character, and ends it with `marker`.
 */
export function truncateUtf8(text: string, maxBytes: number, marker: string): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(marker, 'utf8');
  let cut = Buffer.from(text, 'utf8').subarray(0, Math.max(0, room)).toString('utf8');
  // A character split by the byte cut decodes as U+FFFD at the end: drop it.
  while (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  const lineEnd = cut.lastIndexOf('\n');
  if (lineEnd > 0) cut = cut.slice(0, lineEnd + 1);
  return `${cut}${marker}`;
}
