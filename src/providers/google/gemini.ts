import type { Secret } from '../../engine/secret.js';
import {
  bearerCheck,
  dead,
  live,
  type Recognised,
  safeToken,
  undetermined,
  unrecognised,
} from '../bearer-check.js';
import type { ProviderResponse } from '../http.js';
import type { ProviderContext, Verification } from '../types.js';
import { errorReasons, modelList } from './schema.js';

/** The cheapest read-only call a Gemini key can make: one model of the list. */
export const GEMINI_MODELS_URL = 'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1';

/**
 * Verifies a Google API key against the Gemini API, the key in the `x-goog-api-key` header (never in the
 * URL). `live` on the model list, `dead` on 400 `API_KEY_INVALID`; a 403 (API disabled on the key's
 * project, key restricted to other APIs) proves nothing: the key may still open Maps, Firebase, ….
 */
export function verifyGeminiKey(secret: Secret, ctx: ProviderContext): Promise<Verification> {
  return bearerCheck(secret, ctx, {
    url: GEMINI_MODELS_URL,
    auth: (key) => ({ 'x-goog-api-key': key }),
    recognise,
  });
}

function recognise(response: ProviderResponse): Recognised | undefined {
  if (response.status === 200) {
    return modelList.safeParse(response.json).success ? live('the key lists Gemini models') : undefined;
  }
  const reasons = errorReasons(response.json);
  if (response.status === 400 && reasons.includes('API_KEY_INVALID')) return dead('API_KEY_INVALID');
  const reason = reasons.map(safeToken).find((r) => r !== undefined);
  if (response.status === 403) {
    return undetermined(
      `${reason ?? 'forbidden'}: Gemini is off or restricted for this key, which proves nothing about other Google APIs`,
    );
  }
  return reason ? undetermined(`${reason}, ${unrecognised(response.status)}`) : undefined;
}
