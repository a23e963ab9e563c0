import { z } from 'zod';
import { DEFAULT_FINGERPRINT_KEY } from '../engine/fingerprint.js';

/**
 * The server's environment, validated once at start. Probot reads its own variables (APP_ID,
 * PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, …) too; keywarden checks them first so that a bad value is
 * one clear message per variable instead of a stack trace or, worse, a silent default.
 */

// Probot reads the port as `Number(PORT) || 3000`, so 0 would not mean "any free port".
const Port = z.coerce.number().int().min(1).max(65_535);

export const ServerEnv = z
  .object({
    NODE_ENV: z.string().optional(),
    APP_ID: z.string().regex(/^\d+$/, 'expected the numeric App ID').optional(),
    PRIVATE_KEY: z.string().min(1).optional(),
    PRIVATE_KEY_PATH: z.string().min(1).optional(),
    WEBHOOK_SECRET: z.string().min(1, 'expected a non-empty secret').optional(),
    PORT: Port.default(3000),
    HOST: z.string().min(1).optional(),
    GHE_HOST: z
      .string()
      .regex(/^[A-Za-z0-9.-]+(?::\d+)?$/, 'expected a host name (and port), without protocol or path')
      .optional(),
    GHE_PROTOCOL: z.enum(['http', 'https']).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(?:ql)?:\/\//, 'expected a postgres:// connection URL')
      .optional(),
    KEYWARDEN_DATA_DIR: z.string().min(1).default('./.keywarden'),
    KEYWARDEN_FINGERPRINT_KEY: z.string().min(16, 'expected at least 16 characters').optional(),
    KEYWARDEN_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    const configured = env.APP_ID !== undefined && (env.PRIVATE_KEY ?? env.PRIVATE_KEY_PATH) !== undefined;
    if (configured && env.WEBHOOK_SECRET === undefined && env.NODE_ENV !== 'development') {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SECRET'],
        message:
          'is required outside development (Probot would silently use "development"); set it to the secret of your GitHub App',
      });
    }
    if (configured && env.NODE_ENV === 'production' && env.KEYWARDEN_FINGERPRINT_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['KEYWARDEN_FINGERPRINT_KEY'],
        message: 'is required in production: fingerprints under the public default key can be brute-forced',
      });
    }
  });
export type ServerEnv = z.infer<typeof ServerEnv>;

/** The environment, or an error whose message lists every bad variable on its own line. */
export function parseServerEnv(
  source: NodeJS.ProcessEnv,
):
  | { ok: true; env: ServerEnv & { fingerprintKey: string; configured: boolean } }
  | { ok: false; message: string } {
  const result = ServerEnv.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    return { ok: false, message: `invalid environment:\n${lines.join('\n')}` };
  }
  const env = result.data;
  return {
    ok: true,
    env: {
      ...env,
      fingerprintKey: env.KEYWARDEN_FINGERPRINT_KEY ?? DEFAULT_FINGERPRINT_KEY,
      configured: env.APP_ID !== undefined && (env.PRIVATE_KEY ?? env.PRIVATE_KEY_PATH) !== undefined,
    },
  };
}
