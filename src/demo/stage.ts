import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createNodeMiddleware, createProbot, ProbotOctokit } from 'probot';
import { WEBHOOK_PATH, webhookSignature } from '../bench/app-process.js';
import { parseServerEnv } from '../config/env.js';
import { keywarden } from '../index.js';
import { type Database, openDatabase } from '../inventory/database.js';
import { sealAdminSecret } from '../providers/admin-credentials.js';
import { createProviderHttp } from '../providers/http.js';
import { type Queue, startQueue } from '../queue/boss.js';
import { GitHubStandin } from '../standin/index.js';
import { OpenAIStandin } from '../standin/openai.js';

/**
 * The demo's stage: the GitHub stand-in on 127.0.0.1, and keywarden as `keywarden serve` runs it (the same
 * environment checks, Probot's webhook middleware with signature verification, the job workers, the
 * embedded PGlite database) in this process, so the demo can wait for its jobs and read its inventory.
 */
export interface Stage {
  readonly github: GitHubStandin;
  /** OpenAI, played locally: keywarden's OpenAI requests go here instead of api.openai.com. */
  readonly openai: OpenAIStandin;
  readonly db: Database;
  /** Where keywarden receives webhooks. */
  readonly webhookUrl: string;
  /** Delivers a webhook signed with the App's secret, as GitHub would; resolves with the HTTP status. */
  deliver(event: string, payload: unknown): Promise<number>;
  /** Waits until every job is done; throws with the dead letters' errors when one failed. */
  settle(): Promise<void>;
  /** keywarden's log so far (JSON lines). */
  log(): string;
  stop(): Promise<void>;
}

export interface StageOptions {
  dataDir: string;
  fingerprintKey: string;
  /** Copy keywarden's log to stderr as it is written. */
  verbose: boolean;
}

/**
 * Probot's Octokit without its client-side throttling, the one difference from `keywarden serve`: the
 * throttling plugin spaces writes about a second apart to stay under GitHub's secondary rate limits, which
 * the stand-in does not have; with it the demo takes three times as long and shows nothing more.
 */
const UnthrottledOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { enabled: false },
}));

/** An App private key made for this run (the stand-in accepts any App JWT, but Probot signs one). */
function appPrivateKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
}

/** Starts the stand-in and keywarden (App credentials generated, `GHE_HOST` at the stand-in). */
export async function startStage(options: StageOptions): Promise<Stage> {
  const lines: string[] = [];
  const logger = pino(
    { level: options.verbose ? 'debug' : 'info' },
    {
      write(line: string) {
        lines.push(line);
        if (options.verbose) process.stderr.write(line);
      },
    },
  );
  const github = await GitHubStandin.start();
  const openai = new OpenAIStandin();
  await openai.start();
  const secret = randomBytes(20).toString('hex');
  const parsed = parseServerEnv({
    APP_ID: '1',
    PRIVATE_KEY: appPrivateKey(),
    WEBHOOK_SECRET: secret,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    KEYWARDEN_DATA_DIR: options.dataDir,
    KEYWARDEN_FINGERPRINT_KEY: options.fingerprintKey,
    KEYWARDEN_POLL_SECONDS: '0.5',
  });
  if (!parsed.ok) {
    await github.stop();
    await openai.stop();
    throw new Error(parsed.message);
  }
  const { env } = parsed;

  let db: Database | undefined;
  let queue: Queue | undefined;
  let server: Server | undefined;
  const stop = async (): Promise<void> => {
    if (server) {
      const open = server;
      await new Promise<void>((resolve) => {
        open.close(() => resolve());
        open.closeAllConnections();
      });
    }
    await queue?.stop();
    await db?.close();
    await github.stop();
    await openai.stop();
  };

  try {
    db = await openDatabase({ dataDir: env.KEYWARDEN_DATA_DIR });
    const database = db;
    queue = await startQueue(db, { pollSeconds: env.KEYWARDEN_POLL_SECONDS, log: logger });
    const probot = createProbot({
      env: {
        APP_ID: env.APP_ID,
        PRIVATE_KEY: env.PRIVATE_KEY,
        WEBHOOK_SECRET: env.WEBHOOK_SECRET,
        GHE_HOST: env.GHE_HOST,
        GHE_PROTOCOL: env.GHE_PROTOCOL,
      },
      overrides: { log: logger, Octokit: UnthrottledOctokit },
    });
    const middleware = await createNodeMiddleware(
      keywarden({
        db,
        queue,
        fingerprintKey: env.fingerprintKey,
        routes: false,
        // The organisation's OpenAI admin key, as `keywarden serve` would read it from its environment;
        // OpenAI's API is the local stand-in (the only difference from a real deployment).
        providers: {
          admin: { openai: { adminKey: sealAdminSecret(openai.adminKey, 'sk-admin-') } },
          http: createProviderHttp({ origins: { 'https://api.openai.com': openai.url } }),
        },
      }),
      { probot },
    );
    const http = createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404).end();
      });
    });
    server = http;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', () => resolve());
    });
    const webhookUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}${WEBHOOK_PATH}`;
    const running = queue;
    let failed = 0;

    return {
      github,
      openai,
      db: database,
      webhookUrl,
      async deliver(event, payload) {
        const body = JSON.stringify(payload);
        const response = await fetch(webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/keywarden-demo',
            'x-github-event': event,
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': webhookSignature(body, secret),
          },
          body,
        });
        await response.arrayBuffer();
        return response.status;
      },
      async settle() {
        const outcome = await running.drain({ timeoutSeconds: 120 });
        if (outcome.failed === failed) return;
        failed = outcome.failed;
        const { rows } = await database.query<{ job_name: string; error: string }>(
          'SELECT job_name, error FROM dead_letters ORDER BY id',
        );
        const errors = rows.map((row) => `${row.job_name}: ${row.error}`).join('\n  ');
        throw new Error(`a keywarden job failed:\n  ${errors}`);
      },
      log: () => lines.join(''),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
