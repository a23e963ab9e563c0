import type { Secret } from '../../engine/secret.js';
import { safeToken } from '../bearer-check.js';
import { describeResult, type ProviderHttp, type ProviderResult } from '../http.js';
import { errorReasons, lookupKeyResponse, operation } from './schema.js';

/** The API Keys API (https://cloud.google.com/api-keys/docs/reference/rest). */
const API_KEYS = 'https://apikeys.googleapis.com/v2';

/** `projects/<project>/locations/global/keys/<key id>`: checked before it becomes part of a URL. */
const KEY_NAME = /^projects\/[a-z0-9-]{1,64}\/locations\/global\/keys\/[A-Za-z0-9_-]{1,128}$/;
const OPERATION_NAME = /^operations\/[A-Za-z0-9._-]{1,200}$/;

/** A step that did not get what it needed: `refused` (no access, no such key) or `failed` (retry). */
export type Setback = { kind: 'refused' | 'failed'; detail: string };

export type KeyLookup = { kind: 'found'; name: string; parent: string } | Setback;

/**
 * Finds the key's resource name and project (`keys.lookupKey`). The key goes in the query: this lookup is
 * the one call whose purpose is to name it to Google, and request names drop the query.
 */
export async function lookupKey(key: Secret, token: Secret, http: ProviderHttp): Promise<KeyLookup> {
  const result = await http.request({
    method: 'GET',
    url: `${API_KEYS}/keys:lookupKey?${new URLSearchParams({ keyString: key.reveal() })}`,
    headers: { authorization: `Bearer ${token.reveal()}` },
    secrets: [key, token],
  });
  if (!result.ok) return { kind: 'failed', detail: describeResult(result) };
  const setback = setbackOf(
    result,
    'the service account cannot see this key (no apikeys.keys.lookup on its project)',
  );
  if (setback) return setback;
  const parsed = lookupKeyResponse.safeParse(result.response.json);
  if (!parsed.success) return { kind: 'failed', detail: `${describeResult(result)}: unexpected body` };
  const { name, parent } = parsed.data;
  if (!name) return { kind: 'refused', detail: `${describeResult(result)}: Google reports the key purged` };
  if (!KEY_NAME.test(name))
    return { kind: 'refused', detail: `${describeResult(result)}: unexpected key name` };
  return {
    kind: 'found',
    name,
    parent: /^projects\/[a-z0-9-]{1,64}$/.test(parent) ? parent : 'an unnamed project',
  };
}

export type KeyDeletion = { kind: 'deleted'; operation?: string } | Setback;

/** Deletes the key (`keys.delete`, a long-running operation; Google keeps it restorable for 30 days). */
export async function deleteKey(name: string, token: Secret, http: ProviderHttp): Promise<KeyDeletion> {
  if (!KEY_NAME.test(name)) return { kind: 'refused', detail: 'unexpected key name' };
  const result = await http.request({
    method: 'DELETE',
    url: `${API_KEYS}/${name}`,
    headers: { authorization: `Bearer ${token.reveal()}` },
    secrets: [token],
  });
  if (!result.ok) return { kind: 'failed', detail: describeResult(result) };
  const setback = setbackOf(result, 'the service account may not delete this key (no apikeys.keys.delete)');
  if (setback) return setback;
  const op = operation.safeParse(result.response.json);
  return op.success && OPERATION_NAME.test(op.data.name)
    ? { kind: 'deleted', operation: op.data.name }
    : { kind: 'deleted' };
}

/** `failed` for what a retry may fix (429, 5xx), `refused` for other answers that are not 2xx, else none. */
function setbackOf(result: Extract<ProviderResult, { ok: true }>, forbidden: string): Setback | undefined {
  const { status } = result.response;
  if (status >= 200 && status < 300) return undefined;
  const reason = errorReasons(result.response.json)
    .map(safeToken)
    .find((r) => r !== undefined);
  const detail = `${describeResult(result)}${reason ? ` (${reason})` : ''}`;
  if (status === 429 || status >= 500) return { kind: 'failed', detail };
  if (status === 403 || status === 404) return { kind: 'refused', detail: `${detail}: ${forbidden}` };
  return { kind: 'refused', detail };
}
