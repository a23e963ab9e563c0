import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../engine/fingerprint.js';
import type { Database } from '../inventory/database.js';
import { demoFingerprintKey, plantedKey } from './key.js';
import { block, heading, renderCheckRun, renderComment, renderIssue } from './render.js';
import { type Stage, startStage } from './stage.js';
import {
  buildWorld,
  CODEOWNERS,
  KEYWARDEN_CONFIG,
  LEAK_PATH,
  leakFile,
  ORG,
  PEOPLE,
  REPO,
  TEAM,
} from './world.js';

export interface DemoOptions {
  /** Derives the planted key and the fingerprint key; random by default (a fresh key every run). */
  seed?: string;
  /** Where the story goes, one chunk of lines at a time (default: stdout). */
  write?: (text: string) => void;
  /** Also copy keywarden's own log to stderr. */
  verbose?: boolean;
}

interface CredentialRow {
  id: number;
  provider: string;
  rule_id: string;
  class: string;
  severity: string;
  redacted: string;
  fingerprint: string;
  state: string;
  issue_repo: string | null;
  issue_number: number | null;
}

/**
 * `npm run demo`: plays one leak from push to revocation against a stand-in GitHub, with keywarden on an
 * embedded database in a temporary folder (removed at the end), and prints what the people involved see.
 * Resolves with the exit code: 0 when every step happened, 1 otherwise (the reason on stderr). The
 * planted key never reaches the output: every chunk is checked, and the demo fails if one holds it.
 */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const seed = options.seed ?? randomBytes(12).toString('hex');
  const key = plantedKey(seed);
  const sink = options.write ?? ((text: string) => process.stdout.write(text));
  const say = (...chunks: string[]): void => {
    const text = `${chunks.join('\n')}\n`;
    if (text.includes(key)) throw new Error('the planted key reached the demo output: refusing to print it');
    sink(text);
  };

  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'keywarden-demo-'));
  let stage: Stage | undefined;
  try {
    const fingerprintKey = demoFingerprintKey(seed);
    stage = await startStage({
      dataDir: join(work, 'data'),
      fingerprintKey,
      verbose: options.verbose ?? false,
    });
    await play(stage, key, fingerprint(key, fingerprintKey), say);
  } catch (error) {
    const log = stage?.log() ?? '';
    const tail = log.trimEnd().split('\n').slice(-25).join('\n').split(key).join('[planted key]');
    process.stderr.write(`\nkeywarden demo failed: ${(error as Error).message}\n`);
    if (tail) process.stderr.write(`\nkeywarden's last log lines:\n${tail}\n`);
    return 1;
  } finally {
    await stage?.stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
  say(
    '',
    `Done in ${((performance.now() - started) / 1000).toFixed(1)} s. The planted key appeared nowhere above, only its`,
    'redacted preview and fingerprint. The stand-in is stopped and the data folder removed.',
  );
  return 0;
}

async function play(
  stage: Stage,
  key: string,
  expectedFingerprint: string,
  say: (...chunks: string[]) => void,
): Promise<void> {
  const { github, db } = stage;
  buildWorld(github);
  say(
    'keywarden demo: one leaked AI key, from push to revocation. No GitHub account, no network: GitHub is a',
    'local stand-in, keywarden runs as `keywarden serve` does, on an embedded database in a temporary folder.',
    heading(1, 'The setup'),
    block(`GitHub stand-in  ${github.url} (GHE_HOST=${github.host})`),
    block(`keywarden        webhooks at ${stage.webhookUrl}, App credentials made for this run`),
    block(
      `organisation     ${ORG}: the App is installed; team @${ORG}/${TEAM} = ${PEOPLE.team.map((l) => `@${l}`).join(', ')}`,
    ),
    block(`repository       ${REPO} (private), .github/CODEOWNERS:`),
    block(CODEOWNERS.trimEnd(), '│ '),
    block('                 and .github/keywarden.yml:'),
    block(KEYWARDEN_CONFIG.trimEnd(), '│ '),
    block(
      `OpenAI stand-in  ${stage.openai.url}: project "payments" with the key about to leak; keywarden holds the org's admin key`,
    ),
  );
  const issued = stage.openai.issue(key, 'payments', 'payments-service');

  const sha = github.commit(REPO, 'main', { [LEAK_PATH]: leakFile(key) }, 'Add payments service config', {
    author: PEOPLE.developer,
  });
  const pushStatus = await stage.deliver('push', github.payloads.push(REPO, 'main'));
  if (pushStatus !== 200) throw new Error(`keywarden answered the push webhook with ${pushStatus}`);
  await stage.settle();
  say(
    heading(2, `@${PEOPLE.developer.login} pushes ${sha.slice(0, 7)} "Add payments service config" to main`),
    block(`${LEAK_PATH} now holds an OpenAI project key (made up for this run, never printed)`),
    block(`push webhook delivered, signed with the App's secret: HTTP ${pushStatus}`),
  );

  const run = github
    .checkRuns(REPO)
    .filter((candidate) => candidate.head_sha === sha)
    .at(-1);
  if (!run) throw new Error(`no check run on ${sha.slice(0, 7)}`);
  say(heading(3, `The check run on ${sha.slice(0, 7)}`), renderCheckRun(run));

  const credential = await credentialRow(db, expectedFingerprint);
  if (!credential.issue_repo || credential.issue_number === null)
    throw new Error('no remediation issue was opened for the credential');
  const issueRepo = credential.issue_repo;
  const issueNumber = credential.issue_number;
  say(
    heading(4, 'The remediation issue, and what verification at OpenAI found'),
    renderIssue(issueRepo, issueOf(stage, issueRepo, issueNumber), 31),
    ...github
      .comments(issueRepo, issueNumber)
      .filter((comment) => comment.byApp)
      .map((comment) => renderComment(comment)),
  );

  // GitHub's own secret scanning finds the same key; the push went through its push protection because
  // the developer bypassed it.
  const alertNumber = github.addSecretScanningAlert(REPO, {
    secretType: 'openai_api_key',
    secret: key,
    locations: [{ commit: sha, path: LEAK_PATH, line: 3, column: 16 }],
    pushProtectionBypassedBy: PEOPLE.developer.login,
    validity: 'active',
  });
  const seenBefore = new Set(github.comments(issueRepo, issueNumber).map((comment) => comment.id));
  const alertStatus = await stage.deliver(
    'secret_scanning_alert',
    github.payloads.secretScanningAlert(REPO, alertNumber, 'created', { sender: PEOPLE.developer.login }),
  );
  if (alertStatus !== 200)
    throw new Error(`keywarden answered the secret_scanning_alert webhook with ${alertStatus}`);
  await stage.settle();
  const { rows: credentials } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM credentials');
  if (credentials[0]?.n !== 1) throw new Error('the alert and the push did not end as one credential');
  const told = github
    .comments(issueRepo, issueNumber)
    .filter((comment) => comment.byApp && !seenBefore.has(comment.id));
  const alertSection = sectionOf(
    issueOf(stage, issueRepo, issueNumber).body ?? '',
    '### GitHub secret scanning',
  );
  say(
    heading(
      5,
      `GitHub secret scanning raises alert #${alertNumber} for the same key (push protection was bypassed)`,
    ),
    block('secret_scanning_alert webhook: keywarden reads the alert, fingerprints its secret and drops it:'),
    block('the same credential, the same issue. The issue now has a section for it:'),
    block(alertSection, '│ '),
    ...told.map((comment) => renderComment(comment)),
  );

  let step = 6;
  const command = async (login: string, body: string, why: string): Promise<void> => {
    const seen = new Set(github.comments(issueRepo, issueNumber).map((comment) => comment.id));
    const status = await stage.deliver(
      'issue_comment',
      github.payloads.issueComment(issueRepo, issueNumber, { login, body }),
    );
    if (status !== 200) throw new Error(`keywarden answered the issue_comment webhook with ${status}`);
    await stage.settle();
    const replies = github
      .comments(issueRepo, issueNumber)
      .filter((comment) => comment.byApp && !seen.has(comment.id));
    if (replies.length === 0) throw new Error(`keywarden did not reply to "${body}" by @${login}`);
    say(
      heading(step++, `@${login} (${why}) comments "${body}"`),
      ...replies.map((reply) => renderComment(reply)),
    );
  };
  await command(
    PEOPLE.bystander,
    '/keywarden false-positive just a test key',
    'can read the repository, owns nothing',
  );
  await command(PEOPLE.team[0], '/keywarden confirm', `code owner of /config/ through @${ORG}/${TEAM}`);

  const atOpenAI = stage.openai.keys().find((candidate) => candidate.id === issued.id);
  if (!atOpenAI?.deleted) throw new Error('the key was not revoked at the OpenAI stand-in');
  const calls = stage.openai.requests();
  if (calls.some((call) => call.auth === 'issued' && call.path !== '/v1/models'))
    throw new Error('the planted key was sent to OpenAI somewhere other than its verification endpoint');
  say(
    heading(step++, 'At OpenAI (the stand-in), what keywarden asked'),
    block(
      calls
        .map(
          (call) => `${call.method.padEnd(6)} ${call.path.padEnd(62)} ${call.status}  (${AUTH[call.auth]})`,
        )
        .join('\n'),
    ),
    block(
      `key ${issued.id} (${issued.redactedValue}) in project "payments": ${atOpenAI.deleted ? 'deleted' : 'active'}`,
    ),
  );

  const alert = github.secretScanningAlerts(REPO).find((candidate) => candidate.number === alertNumber);
  if (alert?.state !== 'resolved' || alert.resolution !== 'revoked')
    throw new Error('the secret scanning alert was not resolved as revoked');
  say(
    heading(step++, `GitHub alert #${alertNumber} now`),
    block(
      `${alert.state} as ${alert.resolution} by @${alert.resolvedBy}, with the comment "${alert.resolutionComment ?? ''}"`,
    ),
  );

  await command(PEOPLE.owner, '/keywarden rotated', 'code owner of /config/ by name');

  const issue = issueOf(stage, issueRepo, issueNumber);
  say(
    heading(step++, 'The issue now'),
    block(`${issueRepo}#${issue.number}: ${issue.state}; labels: ${issue.labels.join(', ')}`),
  );
  say(
    heading(step, 'The inventory record (what keywarden keeps: never the key itself)'),
    await inventory(db, expectedFingerprint),
  );
}

/** How each request to the OpenAI stand-in was authenticated. */
const AUTH = {
  issued: 'with the leaked key itself',
  admin: "with the org's admin key",
  none: 'unauthenticated',
  unknown: 'with a key OpenAI does not know',
} as const;

/** One `### …` section of an issue body (up to the next heading of that level). */
function sectionOf(body: string, heading: string): string {
  const start = body.indexOf(heading);
  if (start === -1) throw new Error(`the issue has no "${heading}" section`);
  const end = body.indexOf('\n### ', start + heading.length);
  return body.slice(start, end === -1 ? undefined : end).trimEnd();
}

function issueOf(stage: Stage, repo: string, number: number) {
  const issue = stage.github.issues(repo).find((candidate) => candidate.number === number);
  if (!issue) throw new Error(`the inventory names ${repo}#${number}, which does not exist`);
  return issue;
}

async function credentialRow(db: Database, fingerprintHex: string): Promise<CredentialRow> {
  const { rows } = await db.query<CredentialRow>(
    `SELECT id, provider, rule_id, class, severity, redacted, fingerprint, state, issue_repo, issue_number
       FROM credentials WHERE fingerprint = $1`,
    [fingerprintHex],
  );
  if (!rows[0]) throw new Error('the planted key is not in the inventory');
  return rows[0];
}

async function inventory(db: Database, fingerprintHex: string): Promise<string> {
  const credential = await credentialRow(db, fingerprintHex);
  const { rows: exposures } = await db.query<{
    repo: string;
    commit_sha: string;
    path: string;
    line: number;
    source: string;
    ref: string | null;
  }>('SELECT repo, commit_sha, path, line, source, ref FROM exposures WHERE credential_id = $1 ORDER BY id', [
    credential.id,
  ]);
  const { rows: events } = await db.query<{ kind: string; actor: string; reason: string | null }>(
    'SELECT kind, actor, reason FROM events WHERE credential_id = $1 ORDER BY at, id',
    [credential.id],
  );
  const lines = [
    `credential   ${credential.rule_id} (${credential.provider}, class ${credential.class}, severity ${credential.severity})`,
    `redacted     ${credential.redacted}`,
    `fingerprint  ${credential.fingerprint.slice(0, 16)}… (HMAC-SHA-256 under the server's key)`,
    `state        ${credential.state}`,
    `issue        ${credential.issue_repo}#${credential.issue_number}`,
    `exposures    ${exposures.length}`,
    ...exposures.map(
      (e) =>
        `  ${e.repo}@${e.commit_sha.slice(0, 7)} ${e.path}:${e.line} (${e.source}${e.ref ? ` to ${e.ref}` : ''})`,
    ),
    `audit trail  ${events.length} events`,
    ...events.map((e) => `  ${e.kind} by ${e.actor}${e.reason ? `: ${e.reason}` : ''}`),
  ];
  return block(lines.join('\n'));
}
