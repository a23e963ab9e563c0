/** What a command reads and writes, injectable so tests run the CLI in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Read only for `--diff -`. */
  stdin: AsyncIterable<string | Buffer>;
  env: Readonly<Record<string, string | undefined>>;
  /** Folder that relative paths on the command line are resolved against. */
  cwd: string;
}

/** The real process streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Reads a whole stream as UTF-8 text. */
export async function readAll(stream: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
