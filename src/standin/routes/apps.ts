import { randomBytes } from 'node:crypto';
import { errorReply, notFound, type Route } from '../http.js';
import { APP_PERMISSIONS, APP_SLUG } from '../shapes.js';
import { findRepo, installationOf } from '../state.js';
import { accountJson } from '../templates.js';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh installation token in GitHub's `ghs_` format (random, so no checksum: never a real token). */
function installationToken(): string {
  let body = '';
  for (const byte of randomBytes(36)) body += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return `ghs_${body}`;
}

/** `POST /app/installations/{installation_id}/access_tokens`: any App JWT gets a token for one hour. */
export const createInstallationToken: Route = {
  method: 'POST',
  template: '/app/installations/{installation_id}/access_tokens',
  operation: 'apps/create-installation-access-token',
  access: 'app',
  handle(context) {
    if (context.caller.kind !== 'app') return errorReply(401, 'A JSON web token could not be decoded');
    const id = Number(context.params.installation_id);
    if (!context.state.installations.has(id)) return notFound();
    const token = installationToken();
    context.state.tokens.set(token, { installationId: id, appId: context.caller.appId });
    const expires = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      status: 201,
      body: {
        token,
        expires_at: expires,
        permissions: APP_PERMISSIONS,
        repository_selection: 'all',
      },
    };
  },
};

/** `GET /repos/{owner}/{repo}/installation`: the App's installation on the repository's owner (App JWT). */
export const getRepoInstallation: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/installation',
  operation: 'apps/get-repo-installation',
  access: 'app',
  handle(context) {
    if (context.caller.kind !== 'app') return errorReply(401, 'A JSON web token could not be decoded');
    const repo = findRepo(context.state, context.params.owner!, context.params.repo!);
    const installation = repo ? installationOf(context.state, repo.repo.owner) : undefined;
    if (!repo || !installation) return notFound();
    const account = accountJson(context.state, installation.owner, installation.ownerType);
    const settings =
      installation.ownerType === 'Organization'
        ? `${context.state.web}/organizations/${installation.owner}/settings/installations/${installation.id}`
        : `${context.state.web}/settings/installations/${installation.id}`;
    return {
      status: 200,
      body: {
        id: installation.id,
        account,
        repository_selection: 'all',
        access_tokens_url: `${context.state.api}/app/installations/${installation.id}/access_tokens`,
        repositories_url: `${context.state.api}/installation/repositories`,
        html_url: settings,
        app_id: context.caller.appId ?? 1,
        app_slug: APP_SLUG,
        target_id: account.id,
        target_type: installation.ownerType,
        permissions: APP_PERMISSIONS,
        events: ['push', 'pull_request', 'issues', 'issue_comment'],
        created_at: '2024-01-01T00:00:00Z',
        updated_at: '2024-01-01T00:00:00Z',
        single_file_name: null,
        suspended_by: null,
        suspended_at: null,
      },
    };
  },
};
