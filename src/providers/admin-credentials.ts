import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { Secret } from '../engine/secret.js';
import type { AdminCredentials } from './types.js';

/**
 * The admin credentials revocation and usage checks need, read once at start from the server's
 * environment or a secrets file (never from repository config) and validated. Every message names the
 * variable or field and what is wrong with it, never the value.
 *
 * | provider  | environment                                                              | secrets file            |
 * | --------- | ------------------------------------------------------------------------ | ----------------------- |
 * | openai    | `KEYWARDEN_OPENAI_ADMIN_KEY` (`sk-admin-…`)                              | `openai.adminKey`       |
 * | anthropic | `KEYWARDEN_ANTHROPIC_ADMIN_KEY` (`sk-ant-admin01-…`)                     | `anthropic.adminKey`    |
 * | google    | `KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE` (path to a service-account key)  | `google.serviceAccount` |
 * | aws       | `KEYWARDEN_AWS_ACCESS_KEY_ID` + `KEYWARDEN_AWS_SECRET_ACCESS_KEY` (+ `KEYWARDEN_AWS_SESSION_TOKEN`, `KEYWARDEN_AWS_REGION`) | `aws.{accessKeyId, secretAccessKey, sessionToken?, region?}` |
 *
 * The secrets file is `KEYWARDEN_PROVIDER_SECRETS_FILE`, JSON. It and a Google key file must not be
 * readable by group or others (`chmod 600`). A provider may come from the environment or the file, not both.
 */

export const SECRETS_FILE_VARIABLE = 'KEYWARDEN_PROVIDER_SECRETS_FILE';

export const ADMIN_ENV = {
  openai: ['KEYWARDEN_OPENAI_ADMIN_KEY'],
  anthropic: ['KEYWARDEN_ANTHROPIC_ADMIN_KEY'],
  google: ['KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE'],
  aws: [
    'KEYWARDEN_AWS_ACCESS_KEY_ID',
    'KEYWARDEN_AWS_SECRET_ACCESS_KEY',
    'KEYWARDEN_AWS_SESSION_TOKEN',
    'KEYWARDEN_AWS_REGION',
  ],
} as const;

type Provider = keyof typeof ADMIN_ENV;
const PROVIDERS = Object.keys(ADMIN_ENV) as Provider[];

const OPENAI_PREFIX = 'sk-admin-';
const ANTHROPIC_PREFIX = 'sk-ant-admin01-';
const DEFAULT_AWS_REGION = 'us-east-1';

/** The file system calls the loader makes; tests pass their own. */
export interface AdminCredentialsIo {
  readFile(path: string, encoding: 'utf8'): string;
  stat(path: string): { mode: number };
}

export type AdminCredentialsResult =
  | { ok: true; admin: AdminCredentials; configured: string[] }
  | { ok: false; message: string };

/**
 * Wraps an admin credential in a {@link Secret} whose redacted form shows only its public prefix and its
 * length (`sk-admin-…(164 chars)`): admin keys open a whole organisation, so not even a tail is shown.
 */
export function sealAdminSecret(value: string, prefix = ''): Secret {
  const shown = prefix && value.startsWith(prefix) ? prefix : '';
  return new Secret(value, `${shown}…(${value.length} chars)`);
}

const openaiAdminKey = z
  .string()
  .trim()
  .startsWith(OPENAI_PREFIX, { error: `expected an OpenAI admin key (${OPENAI_PREFIX}…)` })
  .min(OPENAI_PREFIX.length + 20, { error: 'too short for an OpenAI admin key' });

const anthropicAdminKey = z
  .string()
  .trim()
  .startsWith(ANTHROPIC_PREFIX, { error: `expected an Anthropic admin key (${ANTHROPIC_PREFIX}…)` })
  .min(ANTHROPIC_PREFIX.length + 20, { error: 'too short for an Anthropic admin key' });

/** A Google service-account JSON key (only the fields keywarden reads; the others are ignored). */
const serviceAccount = z.object({
  type: z.literal('service_account', { error: 'expected "service_account"' }),
  client_email: z.email({ error: 'expected the service account e-mail' }),
  private_key: z
    .string({ error: 'expected a PEM private key' })
    .regex(/-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+-----END (?:RSA )?PRIVATE KEY-----/, {
      error: 'expected a PEM private key',
    }),
  project_id: z.string({ error: 'expected the project id' }).min(1, { error: 'expected the project id' }),
});

const awsKeys = z.object({
  accessKeyId: z
    .string({ error: 'expected an access key id' })
    .trim()
    .regex(/^(?:AKIA|ASIA)[A-Z0-9]{16}$/, {
      error: 'expected an access key id (AKIA… or ASIA…, 20 characters)',
    }),
  secretAccessKey: z
    .string({ error: 'expected a secret access key' })
    .trim()
    .min(16, { error: 'too short for a secret access key' }),
  sessionToken: z.string({ error: 'expected a session token' }).trim().min(1).optional(),
  region: z
    .string({ error: 'expected a region' })
    .trim()
    .regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, { error: 'expected a region such as us-east-1' })
    .optional(),
});

/** `KEYWARDEN_PROVIDER_SECRETS_FILE`: one optional section per provider, nothing else. */
const secretsFile = z.strictObject(
  {
    openai: z.strictObject({ adminKey: openaiAdminKey }).optional(),
    anthropic: z.strictObject({ adminKey: anthropicAdminKey }).optional(),
    google: z.strictObject({ serviceAccount }).optional(),
    aws: awsKeys.strict().optional(),
  },
  { error: 'expected an object with openai, anthropic, google or aws sections' },
);

const defaultIo: AdminCredentialsIo = {
  readFile: (path, encoding) => readFileSync(path, encoding),
  stat: (path) => statSync(path),
};

/**
 * Reads and validates the admin credentials from `env` (and the files it names).
 *
 * @example
 * const loaded = loadAdminCredentials(process.env);
 * if (!loaded.ok) throw new Error(loaded.message); // names variables and fields, never values
 * log.info({ providers: loaded.configured }, 'admin credentials loaded');
 */
export function loadAdminCredentials(
  env: NodeJS.ProcessEnv,
  io: AdminCredentialsIo = defaultIo,
): AdminCredentialsResult {
  const problems: string[] = [];
  const fromEnv = credentialsFromEnv(env, io, problems);
  const fromFile = credentialsFromSecretsFile(env, io, problems);
  for (const provider of PROVIDERS) {
    if (fromEnv[provider] && fromFile[provider]) {
      problems.push(
        `${provider} is configured twice: in the environment (${ADMIN_ENV[provider].join(', ')}) and in ${SECRETS_FILE_VARIABLE} (${provider}); keep one`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, message: `admin credentials: ${problems.join('; ')}` };
  const admin: AdminCredentials = { ...fromEnv, ...fromFile };
  return { ok: true, admin, configured: PROVIDERS.filter((provider) => admin[provider] !== undefined) };
}

function credentialsFromEnv(
  env: NodeJS.ProcessEnv,
  io: AdminCredentialsIo,
  problems: string[],
): AdminCredentials {
  const value = (name: string): string | undefined => {
    const text = env[name]?.trim();
    return text ? text : undefined;
  };
  const admin: AdminCredentials = {};

  const openaiKey = value('KEYWARDEN_OPENAI_ADMIN_KEY');
  if (openaiKey !== undefined) {
    const parsed = check(openaiAdminKey, openaiKey, 'KEYWARDEN_OPENAI_ADMIN_KEY', problems);
    if (parsed !== undefined) admin.openai = { adminKey: sealAdminSecret(parsed, OPENAI_PREFIX) };
  }

  const anthropicKey = value('KEYWARDEN_ANTHROPIC_ADMIN_KEY');
  if (anthropicKey !== undefined) {
    const parsed = check(anthropicAdminKey, anthropicKey, 'KEYWARDEN_ANTHROPIC_ADMIN_KEY', problems);
    if (parsed !== undefined) admin.anthropic = { adminKey: sealAdminSecret(parsed, ANTHROPIC_PREFIX) };
  }

  const googleFile = value('KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE');
  if (googleFile !== undefined) {
    const json = readPrivateJson(googleFile, 'KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE', io, problems);
    const parsed =
      json === undefined
        ? undefined
        : check(serviceAccount, json, 'KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE', problems);
    if (parsed !== undefined) admin.google = { serviceAccount: toServiceAccount(parsed) };
  }

  const accessKeyId = value('KEYWARDEN_AWS_ACCESS_KEY_ID');
  const secretAccessKey = value('KEYWARDEN_AWS_SECRET_ACCESS_KEY');
  const sessionToken = value('KEYWARDEN_AWS_SESSION_TOKEN');
  const region = value('KEYWARDEN_AWS_REGION');
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    if (accessKeyId === undefined || secretAccessKey === undefined) {
      problems.push(
        `${accessKeyId === undefined ? 'KEYWARDEN_AWS_ACCESS_KEY_ID' : 'KEYWARDEN_AWS_SECRET_ACCESS_KEY'} is missing: set both KEYWARDEN_AWS_ACCESS_KEY_ID and KEYWARDEN_AWS_SECRET_ACCESS_KEY, or neither`,
      );
    } else {
      const parsed = check(
        awsKeys,
        { accessKeyId, secretAccessKey, sessionToken, region },
        'KEYWARDEN_AWS',
        problems,
        awsVariable,
      );
      if (parsed !== undefined) admin.aws = toAws(parsed);
    }
  } else if (sessionToken !== undefined) {
    problems.push(
      'KEYWARDEN_AWS_SESSION_TOKEN is set without KEYWARDEN_AWS_ACCESS_KEY_ID and KEYWARDEN_AWS_SECRET_ACCESS_KEY',
    );
  }
  return admin;
}

function credentialsFromSecretsFile(
  env: NodeJS.ProcessEnv,
  io: AdminCredentialsIo,
  problems: string[],
): AdminCredentials {
  const path = env[SECRETS_FILE_VARIABLE]?.trim();
  if (!path) return {};
  const json = readPrivateJson(path, SECRETS_FILE_VARIABLE, io, problems);
  if (json === undefined) return {};
  const parsed = check(secretsFile, json, SECRETS_FILE_VARIABLE, problems);
  if (parsed === undefined) return {};
  const admin: AdminCredentials = {};
  if (parsed.openai) admin.openai = { adminKey: sealAdminSecret(parsed.openai.adminKey, OPENAI_PREFIX) };
  if (parsed.anthropic)
    admin.anthropic = { adminKey: sealAdminSecret(parsed.anthropic.adminKey, ANTHROPIC_PREFIX) };
  if (parsed.google) admin.google = { serviceAccount: toServiceAccount(parsed.google.serviceAccount) };
  if (parsed.aws) admin.aws = toAws(parsed.aws);
  return admin;
}

/** Reads a JSON file that holds secrets: refused when group or others may read it. */
function readPrivateJson(
  path: string,
  variable: string,
  io: AdminCredentialsIo,
  problems: string[],
): unknown {
  let text: string;
  try {
    const mode = io.stat(path).mode;
    if ((mode & 0o077) !== 0) {
      problems.push(
        `${variable} names ${path}, which group or others may read (mode ${(mode & 0o777).toString(8).padStart(3, '0')}): run chmod 600 on it`,
      );
      return undefined;
    }
    text = io.readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    problems.push(
      `${variable} names ${path}, which cannot be read${typeof code === 'string' ? ` (${code})` : ''}`,
    );
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error: it could hold a key.
    problems.push(`${variable} names ${path}, which is not valid JSON`);
    return undefined;
  }
}

/**
 * Validates `input`; on failure records one problem per issue, named by `where` and the field path, with
 * the schema's message (which never quotes the input).
 */
function check<T>(
  schema: z.ZodType<T>,
  input: unknown,
  where: string,
  problems: string[],
  name: (where: string, path: readonly PropertyKey[]) => string = fieldName,
): T | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    problems.push(`${name(where, issue.path)}: ${describeIssue(issue)}`);
  return undefined;
}

function fieldName(where: string, path: readonly PropertyKey[]): string {
  return path.length === 0 ? where : `${where} ${path.map(String).join('.')}`;
}

const AWS_VARIABLES: Record<string, string> = {
  accessKeyId: 'KEYWARDEN_AWS_ACCESS_KEY_ID',
  secretAccessKey: 'KEYWARDEN_AWS_SECRET_ACCESS_KEY',
  sessionToken: 'KEYWARDEN_AWS_SESSION_TOKEN',
  region: 'KEYWARDEN_AWS_REGION',
};

function awsVariable(_where: string, path: readonly PropertyKey[]): string {
  return AWS_VARIABLES[String(path[0])] ?? 'KEYWARDEN_AWS_*';
}

/** The issue's message, or a fixed description of its kind when the message could carry input. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

function toServiceAccount(parsed: z.infer<typeof serviceAccount>): {
  clientEmail: string;
  privateKey: Secret;
  projectId: string;
} {
  return {
    clientEmail: parsed.client_email,
    privateKey: sealAdminSecret(parsed.private_key),
    projectId: parsed.project_id,
  };
}

function toAws(parsed: z.infer<typeof awsKeys>): NonNullable<AdminCredentials['aws']> {
  return {
    accessKeyId: parsed.accessKeyId,
    secretAccessKey: sealAdminSecret(parsed.secretAccessKey),
    ...(parsed.sessionToken === undefined ? {} : { sessionToken: sealAdminSecret(parsed.sessionToken) }),
    region: parsed.region ?? DEFAULT_AWS_REGION,
  };
}
