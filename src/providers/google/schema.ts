import { z } from 'zod';

/**
 * The parts of Google API answers the adapter reads (lenient: unknown fields are dropped). Google errors
 * follow AIP-193: `{ error: { code, message, status, details: [{ '@type': '…ErrorInfo', reason, … }] } }`.
 */
export const googleError = z.object({
  error: z.object({
    status: z.string().optional(),
    details: z.array(z.object({ '@type': z.string().optional(), reason: z.string().optional() })).optional(),
  }),
});

/** Generative Language API `models.list`. */
export const modelList = z.object({ models: z.array(z.object({ name: z.string() })) });

/** API Keys API `keys.lookupKey`: `name` is empty once the key has been purged. */
export const lookupKeyResponse = z.object({ parent: z.string(), name: z.string().optional() });

/** A long-running operation (API Keys `keys.delete` answers one). */
export const operation = z.object({ name: z.string(), done: z.boolean().optional() });

/** The `ErrorInfo` reasons of a Google error body (`API_KEY_INVALID`, `SERVICE_DISABLED`, …). */
export function errorReasons(body: unknown): string[] {
  const parsed = googleError.safeParse(body);
  if (!parsed.success) return [];
  return (parsed.data.error.details ?? [])
    .filter((detail) => detail['@type']?.endsWith('google.rpc.ErrorInfo'))
    .flatMap((detail) => (detail.reason === undefined ? [] : [detail.reason]));
}
