import type { z } from 'zod';
import type { Secret } from '../../engine/secret.js';
import { type AdminFailure, adminFailure } from '../admin-failure.js';
import { describeResult } from '../http.js';
import { matchesKeyHint } from '../key-hint.js';
import type { ProviderContext } from '../types.js';
import { projectKeyPage, projectPage } from './schema.js';

/**
 * OpenAI's Admin API (https://platform.openai.com/docs/api-reference/administration), called with the
 * organisation's admin key from the server's configuration. The leaked key itself is never sent here:
 * it is compared locally with each listed key's `redacted_value`.
 */

export const OPENAI_API = 'https://api.openai.com';

/** Stops paging past this many pages per listing (10,000 items at 100 a page). */
export const MAX_PAGES = 100;

/** The project key behind a leaked secret, as the Admin API lists it. */
export type KeyMatch =
  | { kind: 'one'; keyId: string; projectId: string }
  | { kind: 'none' }
  | { kind: 'many'; count: number }
  | ({ kind: 'failed' } & AdminFailure);

export function adminHeaders(adminKey: Secret): Record<string, string> {
  return { authorization: `Bearer ${adminKey.reveal()}` };
}

type Page<T> = { data: T[]; has_more: boolean; last_id?: string | null | undefined };

/** Every item of a cursor-paged admin listing (`limit=100`, `after=<last id>` while `has_more`). */
async function listAll<T extends { id: string }>(
  ctx: ProviderContext,
  adminKey: Secret,
  path: string,
  schema: z.ZodType<Page<T>>,
): Promise<{ ok: true; items: T[] } | ({ ok: false } & AdminFailure)> {
  const items: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: '100', ...(after === undefined ? {} : { after }) });
    const result = await ctx.http.request({
      method: 'GET',
      url: `${OPENAI_API}${path}?${query}`,
      headers: adminHeaders(adminKey),
      secrets: [adminKey],
    });
    const parsed =
      result.ok && result.response.status === 200 ? schema.safeParse(result.response.json) : undefined;
    if (!parsed?.success) return { ok: false, ...adminFailure(result) };
    items.push(...parsed.data.data);
    if (!parsed.data.has_more) return { ok: true, items };
    after = parsed.data.last_id ?? parsed.data.data.at(-1)?.id;
    if (!after)
      return { ok: false, retry: true, detail: `${describeResult(result)}: more pages but no cursor` };
  }
  return { ok: false, retry: false, detail: `GET api.openai.com${path}: more than ${MAX_PAGES} pages` };
}

/**
 * Finds the project key whose `redacted_value` fits `secret`, over every project of the organisation.
 * Lists everything before deciding, so that two fitting keys are reported as ambiguous.
 */
export async function findProjectKey(
  secret: Secret,
  adminKey: Secret,
  ctx: ProviderContext,
): Promise<KeyMatch> {
  const projects = await listAll(ctx, adminKey, '/v1/organization/projects', projectPage);
  if (!projects.ok) return { kind: 'failed', retry: projects.retry, detail: projects.detail };
  const matches: { keyId: string; projectId: string }[] = [];
  for (const project of projects.items) {
    const keys = await listAll(
      ctx,
      adminKey,
      `/v1/organization/projects/${encodeURIComponent(project.id)}/api_keys`,
      projectKeyPage,
    );
    if (!keys.ok) return { kind: 'failed', retry: keys.retry, detail: keys.detail };
    for (const key of keys.items) {
      if (matchesKeyHint(key.redacted_value, secret)) matches.push({ keyId: key.id, projectId: project.id });
    }
  }
  const [only] = matches;
  if (matches.length === 1 && only) return { kind: 'one', ...only };
  return matches.length === 0 ? { kind: 'none' } : { kind: 'many', count: matches.length };
}
