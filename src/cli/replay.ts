import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createProbot } from 'probot';
import { parseServerEnv } from '../config/env.js';
import { keywarden } from '../index.js';
import { openDatabase } from '../inventory/database.js';
import { startQueue } from '../queue/boss.js';
import { EXIT, UsageError } from './errors.js';
import type { CliIo } from './io.js';

export const REPLAY_USAGE = `Usage: keywarden replay EVENT PAYLOAD.json [--delivery ID]

Runs one webhook event through keywarden's handlers and jobs, against the GitHub API at GHE_HOST and
GHE_PROTOCOL (Probot's variables; default api.github.com), with the App credentials in APP_ID and
PRIVATE_KEY, on the database of 'keywarden serve' (DATABASE_URL, or the data folder KEYWARDEN_DATA_DIR).
Waits until every job the event caused has finished.
`;

/** `keywarden replay EVENT PAYLOAD.json`: exit 0 when every job succeeded, 1 when one failed, 2 on bad input. */
export async function replay(argv: readonly string[], io: CliIo): Promise<number> {
  const [event, payloadFile, ...rest] = argv;
  if (event === '--help' || event === '-h') {
    io.stdout.write(REPLAY_USAGE);
    return EXIT.clean;
  }
  if (!event || !payloadFile)
    throw new UsageError(`replay needs an event name and a payload file\n${REPLAY_USAGE}`);
  let delivery: string = randomUUID();
  if (rest[0] === '--delivery' && rest[1]) delivery = rest[1];
  else if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);

  // Replay verifies no signature, so it needs no webhook secret.
  const parsed = parseServerEnv({ WEBHOOK_SECRET: 'replay: no signature to verify', ...io.env });
  if (!parsed.ok) throw new UsageError(parsed.message);
  const { env } = parsed;
  if (!env.configured) throw new UsageError('replay needs APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH)');

  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(resolve(io.cwd, payloadFile), 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read payload ${payloadFile}: ${(error as Error).message}`);
  }

  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : env.KEYWARDEN_DATA_DIR,
  });
  const queue = await startQueue(db, { pollSeconds: 0.5 });
  try {
    const probot = createProbot({ env: { ...io.env, REDIS_URL: undefined } });
    await probot.load(keywarden({ db, queue, fingerprintKey: env.fingerprintKey, routes: false }));
    await probot.receive({ id: delivery, name: event, payload } as Parameters<typeof probot.receive>[0]);
    const result = await queue.drain();
    io.stdout.write(
      `replayed ${event} (delivery ${delivery}): ${result.completed} job(s) done, ${result.failed} failed\n`,
    );
    return result.failed > 0 ? EXIT.found : EXIT.clean;
  } finally {
    await queue.stop();
    await db.close();
  }
}
