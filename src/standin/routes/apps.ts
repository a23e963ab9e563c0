import { randomBytes } from 'node:crypto';
import { errorReply, notFound, type Route } from '../http.js';

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
        permissions: {
          checks: 'write',
          contents: 'read',
          issues: 'write',
          members: 'read',
          metadata: 'read',
          pull_requests: 'read',
          secret_scanning_alerts: 'write',
        },
        repository_selection: 'all',
      },
    };
  },
};
