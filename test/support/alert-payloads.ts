import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { webhookExample } from './github.js';
import { openapiExample, validateResponse } from './openapi.js';

/**
 * GitHub secret scanning payloads for tests. `@octokit/webhooks-examples` 7.6.1 has no example of
 * `secret_scanning_alert` or `secret_scanning_alert_location`, so webhook payloads are built here and
 * every one is validated against GitHub's published webhook description (`@octokit/openapi-webhooks`,
 * `webhook-secret-scanning-alert-<action>` and `webhook-secret-scanning-alert-location-created`) before
 * it is returned; REST bodies (an alert, an organisation's alerts, locations) start from the documented
 * examples of `@octokit/openapi` and are validated against its response schemas. A builder that drifts
 * from GitHub's shape throws with the schema's complaint.
 *
 * Repository, sender and installation come from the `issues` examples of `@octokit/webhooks-examples`
 * (`Codertocat/Hello-World`, the repository of its `push` examples too).
 */

export type AlertAction =
  | 'created'
  | 'reopened'
  | 'resolved'
  | 'validated'
  | 'publicly_leaked'
  | 'assigned'
  | 'unassigned';

/** An alert's facts; everything but `number` and `secretType` has a default. */
export interface AlertFacts {
  number: number;
  secretType: string;
  state?: 'open' | 'resolved';
  resolution?: 'false_positive' | 'wont_fix' | 'revoked' | 'used_in_tests' | null;
  resolvedBy?: string | null;
  resolutionComment?: string | null;
  pushProtectionBypassedBy?: string | null;
  publiclyLeaked?: boolean;
  validity?: 'active' | 'inactive' | 'unknown';
  createdAt?: string;
  updatedAt?: string;
}

/** A repository as the tests name it. */
export interface AlertRepo {
  owner: string;
  name: string;
  id: number;
}

type Json = Record<string, unknown>;

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** The webhook description's schema `name`, compiled once (OpenAPI 3.1: JSON Schema with type arrays). */
function webhookValidator(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (validate) return validate;
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
    addFormats.default(ajv);
    const file = createRequire(import.meta.url).resolve(
      '@octokit/openapi-webhooks/generated/api.github.com.json',
    );
    const document = JSON.parse(readFileSync(file, 'utf8')) as Json;
    ajv.addSchema({ components: document['components'] }, 'webhooks');
  }
  validate = ajv.compile({ $ref: `webhooks#/components/schemas/${name}` });
  validators.set(name, validate);
  return validate;
}

/** Throws unless `payload` fits the webhook description's `schema`. */
export function assertWebhookShape(schema: string, payload: unknown): void {
  const validate = webhookValidator(schema);
  if (validate(payload)) return;
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).slice(0, 10);
  throw new Error(`payload does not fit ${schema}:\n  ${problems.join('\n  ')}`);
}

/** Throws unless `body` fits GitHub's documented response of `method path` with `status`. */
export function assertResponseShape(method: string, path: string, status: number, body: unknown): void {
  const problems = validateResponse(method, path, status, body);
  if (problems.length > 0)
    throw new Error(`response does not fit ${method} ${path}:\n  ${problems.slice(0, 10).join('\n  ')}`);
}

/** The documented example repository (and its owner) of the `issues` webhooks, with `repo`'s identity. */
function repositoryOf(repo: AlertRepo): Json {
  const example = webhookExample('issues', (p) => 'installation' in p).repository as unknown as Json;
  const owner = { ...(example['owner'] as Json), login: repo.owner };
  return { ...example, id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}`, owner };
}

/** A GitHub user as payloads embed it (`simple-user`). */
export function user(login: string): Json {
  const sender = webhookExample('issues', (p) => 'installation' in p).sender as unknown as Json;
  const bot = /^(.+)\[bot\]$/.exec(login);
  return {
    ...sender,
    login,
    type: bot ? 'Bot' : 'User',
    html_url: bot ? `https://github.com/apps/${bot[1]}` : `https://github.com/${login}`,
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
  };
}

const DISPLAY_NAMES: Record<string, string> = {
  openai_api_key: 'OpenAI API Key',
  anthropic_api_key: 'Anthropic API Key',
  adafruit_io_key: 'Adafruit IO Key',
};

/** The alert fields common to REST and webhooks. */
function alertFields(repo: AlertRepo, facts: AlertFacts): Json {
  const base = `https://api.github.com/repos/${repo.owner}/${repo.name}/secret-scanning/alerts/${facts.number}`;
  const state = facts.state ?? 'open';
  const resolved = state === 'resolved';
  const bypassedBy = facts.pushProtectionBypassedBy ?? null;
  const createdAt = facts.createdAt ?? '2025-01-02T03:04:05Z';
  return {
    number: facts.number,
    created_at: createdAt,
    updated_at: facts.updatedAt ?? createdAt,
    url: base,
    html_url: `https://github.com/${repo.owner}/${repo.name}/security/secret-scanning/${facts.number}`,
    locations_url: `${base}/locations`,
    state,
    resolution: resolved ? (facts.resolution ?? 'revoked') : null,
    resolved_at: resolved ? (facts.updatedAt ?? createdAt) : null,
    resolved_by: resolved && facts.resolvedBy ? user(facts.resolvedBy) : null,
    resolution_comment: resolved ? (facts.resolutionComment ?? null) : null,
    secret_type: facts.secretType,
    secret_type_display_name: DISPLAY_NAMES[facts.secretType] ?? facts.secretType,
    validity: facts.validity ?? 'unknown',
    push_protection_bypassed: bypassedBy !== null,
    push_protection_bypassed_by: bypassedBy ? user(bypassedBy) : null,
    push_protection_bypassed_at: bypassedBy ? createdAt : null,
    push_protection_bypass_request_reviewer: null,
    push_protection_bypass_request_reviewer_comment: null,
    push_protection_bypass_request_comment: null,
    push_protection_bypass_request_html_url: null,
    publicly_leaked: facts.publiclyLeaked ?? false,
    multi_repo: false,
    assigned_to: null,
  };
}

/** `GET /repos/{owner}/{repo}/secret-scanning/alerts/{n}`: the alert, secret included, as GitHub documents it. */
export function alertResponse(repo: AlertRepo, facts: AlertFacts, secret: string): Json {
  const example = openapiExample<Json>('GET', '/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}');
  const body = { ...example, ...alertFields(repo, facts), secret };
  assertResponseShape(
    'GET',
    `/repos/${repo.owner}/${repo.name}/secret-scanning/alerts/${facts.number}`,
    200,
    body,
  );
  return body;
}

/** `PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{n}`: the alert as resolving it left it. */
export function updatedAlertResponse(repo: AlertRepo, facts: AlertFacts, secret: string): Json {
  const example = openapiExample<Json>(
    'PATCH',
    '/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}',
  );
  const body = { ...example, ...alertFields(repo, facts), secret };
  assertResponseShape(
    'PATCH',
    `/repos/${repo.owner}/${repo.name}/secret-scanning/alerts/${facts.number}`,
    200,
    body,
  );
  return body;
}

/** An alert as `GET /orgs/{org}/secret-scanning/alerts` lists it: with its repository and secret. */
export function orgAlertItem(repo: AlertRepo, facts: AlertFacts, secret: string): Json {
  const example = openapiExample<Json[]>('GET', '/orgs/{org}/secret-scanning/alerts')[0]!;
  const repository = {
    ...(example['repository'] as Json),
    id: repo.id,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: { ...((example['repository'] as Json)['owner'] as Json), login: repo.owner },
  };
  const item = { ...example, ...alertFields(repo, facts), secret, repository };
  assertResponseShape('GET', `/orgs/${repo.owner}/secret-scanning/alerts`, 200, [item]);
  return item;
}

/** A location of the secret in a commit. */
export function commitLocation(where: {
  path: string;
  line: number;
  column?: number;
  commitSha: string;
  blobSha: string;
}): Json {
  return {
    type: 'commit',
    details: {
      path: where.path,
      start_line: where.line,
      end_line: where.line,
      start_column: where.column ?? 1,
      end_column: (where.column ?? 1) + 40,
      blob_sha: where.blobSha,
      blob_url: `https://api.github.com/repos/o/r/git/blobs/${where.blobSha}`,
      commit_sha: where.commitSha,
      commit_url: `https://api.github.com/repos/o/r/git/commits/${where.commitSha}`,
    },
  };
}

/** A location in an issue comment (API and web addresses). */
export function issueCommentLocation(repo: AlertRepo, commentId: number, issue: number): Json {
  return {
    type: 'issue_comment',
    details: {
      issue_comment_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/issues/comments/${commentId}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${issue}#issuecomment-${commentId}`,
    },
  };
}

/** `GET …/alerts/{n}/locations`: a page of locations, validated. */
export function locationsResponse(repo: AlertRepo, number: number, locations: Json[]): Json[] {
  assertResponseShape(
    'GET',
    `/repos/${repo.owner}/${repo.name}/secret-scanning/alerts/${number}/locations`,
    200,
    locations,
  );
  return locations;
}

/** The webhook alert: the REST fields GitHub sends in payloads (never the secret, nor the repository). */
function webhookAlert(repo: AlertRepo, facts: AlertFacts): Json {
  return alertFields(repo, facts);
}

/** A `secret_scanning_alert` webhook payload of `action`, validated against GitHub's webhook description. */
export function alertWebhook(
  action: AlertAction,
  repo: AlertRepo,
  facts: AlertFacts,
  options: { sender?: string; installationId?: number } = {},
): Json {
  const payload = {
    action,
    alert: webhookAlert(repo, facts),
    installation: installationOf(options.installationId),
    repository: repositoryOf(repo),
    sender: user(options.sender ?? 'Codertocat'),
  };
  assertWebhookShape(`webhook-secret-scanning-alert-${action.replace(/_/g, '-')}`, payload);
  return payload;
}

/** A `secret_scanning_alert_location.created` payload, validated. */
export function alertLocationWebhook(
  repo: AlertRepo,
  facts: AlertFacts,
  location: Json,
  options: { sender?: string; installationId?: number } = {},
): Json {
  const payload = {
    action: 'created',
    alert: webhookAlert(repo, facts),
    installation: installationOf(options.installationId),
    location,
    repository: repositoryOf(repo),
    sender: user(options.sender ?? 'Codertocat'),
  };
  assertWebhookShape('webhook-secret-scanning-alert-location-created', payload);
  return payload;
}

function installationOf(id = 1): Json {
  const example = webhookExample('issues', (p) => 'installation' in p).installation as unknown as Json;
  return { ...example, id };
}
