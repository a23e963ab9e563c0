import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the parts of OpenAI's API that keywarden calls: `GET /v1/models` (verification,
 * with the key itself), and the Admin API's project and project-key listings and key deletion (with an
 * admin key). For the demo and tests: it plays the provider, so it holds the keys it issued, and it never
 * prints them. Answers are shaped as OpenAI's API reference documents them.
 */

export interface IssuedKey {
  id: string;
  projectId: string;
  name: string;
  /** Shown as OpenAI shows it: the first characters and the last four. */
  redactedValue: string;
  deleted: boolean;
}

/** One request the stand-in answered: method, path, status, and which kind of key authenticated it. */
export interface StandinRequest {
  method: string;
  path: string;
  status: number;
  auth: 'admin' | 'issued' | 'none' | 'unknown';
}

export class OpenAIStandin {
  readonly adminKey = `sk-admin-${randomBytes(24).toString('base64url')}`;
  readonly #keys = new Map<string, { key: IssuedKey; value: string }>();
  readonly #projects = new Map<string, string>();
  readonly #requests: StandinRequest[] = [];
  #server: Server | undefined;
  url = '';

  /** Starts listening on 127.0.0.1 (a free port). */
  async start(): Promise<void> {
    const server = createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Issues `value` as a project key of a project named `projectName` (created when new). */
  issue(value: string, projectName: string, keyName: string): IssuedKey {
    let projectId = [...this.#projects].find(([, name]) => name === projectName)?.[0];
    if (!projectId) {
      projectId = `proj_${randomBytes(8).toString('hex')}`;
      this.#projects.set(projectId, projectName);
    }
    const key: IssuedKey = {
      id: `key_${randomBytes(8).toString('hex')}`,
      projectId,
      name: keyName,
      redactedValue: `${value.slice(0, 8)}...${value.slice(-4)}`,
      deleted: false,
    };
    this.#keys.set(key.id, { key, value });
    return key;
  }

  keys(): IssuedKey[] {
    return [...this.#keys.values()].map(({ key }) => ({ ...key }));
  }

  requests(): readonly StandinRequest[] {
    return this.#requests;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://standin');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = token ? [...this.#keys.values()].find((entry) => entry.value === token) : undefined;
    const auth: StandinRequest['auth'] =
      token === undefined ? 'none' : token === this.adminKey ? 'admin' : issued ? 'issued' : 'unknown';
    const send = (status: number, body: unknown) => {
      this.#requests.push({ method: req.method ?? 'GET', path: url.pathname, status, auth });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      if (url.pathname === '/v1/models' && req.method === 'GET') {
        if (issued && !issued.key.deleted) return send(200, MODELS);
        return send(401, invalidKey());
      }
      if (auth !== 'admin') return send(401, invalidKey());
      if (url.pathname === '/v1/organization/projects' && req.method === 'GET') {
        const data = [...this.#projects].map(([id, name]) => ({
          id,
          object: 'organization.project',
          name,
          created_at: 1_711_471_533,
          archived_at: null,
          status: 'active',
        }));
        return send(200, list(data));
      }
      const keys = /^\/v1\/organization\/projects\/([^/]+)\/api_keys(?:\/([^/]+))?$/.exec(url.pathname);
      if (keys && req.method === 'GET' && !keys[2]) {
        const data = [...this.#keys.values()]
          .filter(({ key }) => key.projectId === keys[1] && !key.deleted)
          .map(({ key }) => ({
            object: 'organization.project.api_key',
            redacted_value: key.redactedValue,
            name: key.name,
            created_at: 1_711_471_533,
            last_used_at: 1_711_471_534,
            id: key.id,
            owner: { type: 'service_account', service_account: { id: 'svc_acct_standin', name: key.name } },
          }));
        return send(200, list(data));
      }
      if (keys?.[2] && req.method === 'DELETE') {
        const entry = this.#keys.get(keys[2]);
        if (!entry || entry.key.deleted || entry.key.projectId !== keys[1]) return send(404, notFound());
        entry.key.deleted = true;
        return send(200, { object: 'organization.project.api_key.deleted', id: entry.key.id, deleted: true });
      }
      return send(404, notFound());
    });
  }
}

const MODELS = {
  object: 'list',
  data: [{ id: 'gpt-4o-mini', object: 'model', created: 1_721_172_741, owned_by: 'system' }],
};

function list(data: Array<{ id: string }>) {
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: false,
  };
}

function invalidKey() {
  return {
    error: {
      message:
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  };
}

function notFound() {
  return { error: { message: 'Not found', type: 'invalid_request_error', param: null, code: null } };
}
