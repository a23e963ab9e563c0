/**
 * A secretlint formatter that keeps only where each message is and which rule raised it. secretlint's
 * own formatters embed the message text (and, for JSON, the whole file content), which may hold the
 * matched value; this one never does. Loaded by path through `@secretlint/node`'s `formatter` option.
 */

/** The part of secretlint's core result this formatter reads. */
interface SecretlintResult {
  filePath: string;
  messages: ReadonlyArray<{ ruleId: string; loc: { start: { line: number } } }>;
}

/** `[filePath, [[line, ruleId], …]]` per file with messages, as JSON. */
export type LocationsOutput = Array<[string, Array<[number, string]>]>;

/** secretlint calls the default export with every file's result. */
export default function formatLocations(results: readonly SecretlintResult[]): string {
  const out: LocationsOutput = [];
  for (const result of results) {
    if (result.messages.length === 0) continue;
    out.push([result.filePath, result.messages.map((message) => [message.loc.start.line, message.ruleId])]);
  }
  return JSON.stringify(out);
}
