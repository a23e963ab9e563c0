import { run } from 'probot';
import { parseServerEnv } from '../config/env.js';
import { keywarden } from '../index.js';
import { openDatabase } from '../inventory/database.js';
import { loadAdminCredentials } from '../providers/admin-credentials.js';
import { startQueue } from '../queue/boss.js';
import { EXIT } from './errors.js';
import type { CliIo } from './io.js';

/**
 * `keywarden serve` (what `npm start` runs): Probot's server, the web routes and the job workers in one
 * process, on the embedded PGlite database (`KEYWARDEN_DATA_DIR`) or the PostgreSQL server at
 * `DATABASE_URL`. Without App credentials it is Probot's own setup flow. Resolves when the process is asked
 * to stop and everything is closed.
 */
export async function serve(io: CliIo): Promise<number> {
  const parsed = parseServerEnv(io.env);
  if (!parsed.ok) {
    io.stderr.write(`keywarden: ${parsed.message}\n`);
    return EXIT.usage;
  }
  const { env } = parsed;
  // Probot loads ioredis at run time through npx when REDIS_URL is set; keywarden never uses it.
  const probotEnv = { ...io.env, REDIS_URL: undefined };
  if (!env.configured) {
    io.stderr.write('keywarden: no GitHub App credentials (APP_ID, PRIVATE_KEY): starting Probot setup\n');
    await run(() => undefined, { env: probotEnv });
    return new Promise<number>(() => undefined);
  }

  // Provider admin credentials (revocation, usage) come only from the server's environment or its
  // secrets file, and are checked before anything starts: a bad one stops the server with its name.
  const admin = loadAdminCredentials(io.env);
  if (!admin.ok) {
    io.stderr.write(`keywarden: ${admin.message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(
    `keywarden: provider admin credentials: ${admin.configured.length > 0 ? admin.configured.join(', ') : 'none (revocation through provider admin APIs is unavailable)'}\n`,
  );

  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : env.KEYWARDEN_DATA_DIR,
  });
  const queue = await startQueue(db, { pollSeconds: env.KEYWARDEN_POLL_SECONDS, schedules: true });
  await queue.schedule('escalate-overdue', '*/5 * * * *');
  await queue.schedule('check-usage', '7 * * * *');
  await queue.schedule('sweep-alerts', '*/30 * * * *');
  const server = await run(
    keywarden({ db, queue, fingerprintKey: env.fingerprintKey, providers: { admin: admin.admin } }),
    { env: probotEnv },
  );

  // Probot's own SIGINT handler exits before the queue and the database are closed; ours closes all three.
  process.removeAllListeners('SIGINT');
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.stderr.write(`keywarden: ${signal}: stopping\n`);
      await server.stop();
      await queue.stop();
      await db.close();
      resolve(EXIT.clean);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
