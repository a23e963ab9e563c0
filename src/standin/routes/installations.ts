import { errorReply, paginate, type Route } from '../http.js';
import { APP_EVENTS, APP_PERMISSIONS, APP_SLUG } from '../shapes.js';
import type { InstallationState, StandinState } from '../state.js';
import { accountJson } from '../templates.js';

/** An installation as `GET /app/installations` lists it. */
function installationJson(state: StandinState, installation: InstallationState, appId: number): object {
  const account = accountJson(state, installation.owner, installation.ownerType);
  const settings =
    installation.ownerType === 'Organization'
      ? `${state.web}/organizations/${installation.owner}/settings/installations/${installation.id}`
      : `${state.web}/settings/installations/${installation.id}`;
  return {
    id: installation.id,
    account,
    repository_selection: 'all',
    access_tokens_url: `${state.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${state.api}/installation/repositories`,
    html_url: settings,
    app_id: appId,
    app_slug: APP_SLUG,
    target_id: (account as { id: number }).id,
    target_type: installation.ownerType,
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}

/** `GET /app/installations` (App JWT): every installation, by id, paged. */
export const listAppInstallations: Route = {
  method: 'GET',
  template: '/app/installations',
  operation: 'apps/list-installations',
  access: 'app',
  handle(context) {
    if (context.caller.kind !== 'app') return errorReply(401, 'A JSON web token could not be decoded');
    const appId = context.caller.appId ?? 1;
    const all = [...context.state.installations.values()]
      .sort((a, b) => a.id - b.id)
      .map((installation) => installationJson(context.state, installation, appId));
    const { items, headers } = paginate(context, all);
    return { status: 200, body: items, headers };
  },
};
