import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALPHABETS, fake } from '../rules/examples.js';
import { type AdminCredentialsIo, loadAdminCredentials } from './admin-credentials.js';

const openaiKey = `sk-admin-${fake('admin.openai', 120, ALPHABETS.base64url)}`;
const anthropicKey = `sk-ant-admin01-${fake('admin.anthropic', 93, ALPHABETS.base64url)}AA`;
const awsKeyId = `AKIA${fake('admin.aws.id', 16, ALPHABETS.alnumUpper)}`;
const awsSecret = fake('admin.aws.secret', 40, ALPHABETS.base64);
const awsSession = fake('admin.aws.session', 300, ALPHABETS.base64);
const pemBody = fake('admin.google.pem', 1600, ALPHABETS.base64);
const privateKey = ['-----BEGIN ', 'PRIVATE KEY-----\n', pemBody, '\n-----END ', 'PRIVATE KEY-----\n'].join(
  '',
);
const serviceAccount = {
  type: 'service_account',
  project_id: 'keywarden-test',
  private_key_id: fake('admin.google.kid', 40, ALPHABETS.hexLower),
  private_key: privateKey,
  client_email: 'revoker@keywarden-test.iam.gserviceaccount.com',
  client_id: '1234567890',
};

/** Every planted secret value: no message may contain any of them. */
const planted = [openaiKey, anthropicKey, awsSecret, awsSession, pemBody, awsKeyId];

/** A file system of `path → { mode, text }`. */
function files(entries: Record<string, { mode?: number; text: string }>): AdminCredentialsIo {
  return {
    stat(path) {
      const entry = entries[path];
      if (!entry) throw Object.assign(new Error(`ENOENT: no such file, stat '${path}'`), { code: 'ENOENT' });
      return { mode: 0o100000 | (entry.mode ?? 0o600) };
    },
    readFile(path) {
      const entry = entries[path];
      if (!entry) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return entry.text;
    },
  };
}

const noFiles = files({});

function expectNoValues(text: string): void {
  for (const value of planted) expect(text).not.toContain(value);
  expect(text).not.toContain(pemBody.slice(0, 32));
}

describe('loadAdminCredentials', () => {
  it('configures nothing when nothing is set', () => {
    expect(loadAdminCredentials({ KEYWARDEN_OPENAI_ADMIN_KEY: '  ' }, noFiles)).toEqual({
      ok: true,
      admin: {},
      configured: [],
    });
  });

  it('reads every provider from the environment, sealed and redacted by prefix and length only', () => {
    const io = files({ '/run/keys/google.json': { text: JSON.stringify(serviceAccount) } });

    const loaded = loadAdminCredentials(
      {
        KEYWARDEN_OPENAI_ADMIN_KEY: `${openaiKey}\n`,
        KEYWARDEN_ANTHROPIC_ADMIN_KEY: anthropicKey,
        KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE: '/run/keys/google.json',
        KEYWARDEN_AWS_ACCESS_KEY_ID: awsKeyId,
        KEYWARDEN_AWS_SECRET_ACCESS_KEY: awsSecret,
        KEYWARDEN_AWS_SESSION_TOKEN: awsSession,
      },
      io,
    );

    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const { admin } = loaded;
    expect(loaded.configured).toEqual(['openai', 'anthropic', 'google', 'aws']);
    expect(admin.openai?.adminKey.reveal()).toBe(openaiKey);
    expect(admin.openai?.adminKey.redacted).toBe(`sk-admin-…(${openaiKey.length} chars)`);
    expect(admin.anthropic?.adminKey.reveal()).toBe(anthropicKey);
    expect(admin.anthropic?.adminKey.redacted).toBe(`sk-ant-admin01-…(${anthropicKey.length} chars)`);
    expect(admin.google?.serviceAccount.clientEmail).toBe(serviceAccount.client_email);
    expect(admin.google?.serviceAccount.projectId).toBe('keywarden-test');
    expect(admin.google?.serviceAccount.privateKey.reveal()).toBe(privateKey);
    expect(admin.aws?.accessKeyId).toBe(awsKeyId);
    expect(admin.aws?.secretAccessKey.reveal()).toBe(awsSecret);
    expect(admin.aws?.sessionToken?.reveal()).toBe(awsSession);
    expect(admin.aws?.region).toBe('us-east-1');
    const shown = `${JSON.stringify(admin)} ${inspect(admin, { depth: 5 })}`;
    for (const value of [openaiKey, anthropicKey, awsSecret, awsSession, pemBody])
      expect(shown).not.toContain(value);
  });

  it('reads every provider from a private secrets file', () => {
    const io = files({
      '/etc/keywarden/secrets.json': {
        mode: 0o600,
        text: JSON.stringify({
          openai: { adminKey: openaiKey },
          anthropic: { adminKey: anthropicKey },
          google: { serviceAccount },
          aws: { accessKeyId: awsKeyId, secretAccessKey: awsSecret, region: 'eu-west-3' },
        }),
      },
    });

    const loaded = loadAdminCredentials(
      { KEYWARDEN_PROVIDER_SECRETS_FILE: '/etc/keywarden/secrets.json' },
      io,
    );

    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.configured).toEqual(['openai', 'anthropic', 'google', 'aws']);
    expect(loaded.admin.openai?.adminKey.reveal()).toBe(openaiKey);
    expect(loaded.admin.google?.serviceAccount.privateKey.redacted).toBe(`…(${privateKey.length} chars)`);
    expect(loaded.admin.aws).toMatchObject({ accessKeyId: awsKeyId, region: 'eu-west-3' });
    expect(loaded.admin.aws?.sessionToken).toBeUndefined();
  });

  it('combines providers from the environment and the file', () => {
    const io = files({ '/s.json': { text: JSON.stringify({ anthropic: { adminKey: anthropicKey } }) } });

    const loaded = loadAdminCredentials(
      { KEYWARDEN_OPENAI_ADMIN_KEY: openaiKey, KEYWARDEN_PROVIDER_SECRETS_FILE: '/s.json' },
      io,
    );

    expect(loaded.ok && loaded.configured).toEqual(['openai', 'anthropic']);
  });

  it('reads real files with the default io and refuses a group-readable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-admin-'));
    try {
      const path = join(dir, 'secrets.json');
      writeFileSync(path, JSON.stringify({ openai: { adminKey: openaiKey } }));
      chmodSync(path, 0o600);
      const good = loadAdminCredentials({ KEYWARDEN_PROVIDER_SECRETS_FILE: path });
      chmodSync(path, 0o640);
      const bad = loadAdminCredentials({ KEYWARDEN_PROVIDER_SECRETS_FILE: path });

      expect(good.ok && good.admin.openai?.adminKey.reveal()).toBe(openaiKey);
      expect(bad).toEqual({
        ok: false,
        message: `admin credentials: KEYWARDEN_PROVIDER_SECRETS_FILE names ${path}, which group or others may read (mode 640): run chmod 600 on it`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const wrongPrefixPem = [
    '-----BEGIN ',
    'CERTIFICATE-----\n',
    pemBody,
    '\n-----END ',
    'CERTIFICATE-----',
  ].join('');

  it.each([
    {
      name: 'an OpenAI key of the wrong kind',
      env: { KEYWARDEN_OPENAI_ADMIN_KEY: openaiKey.replace('sk-admin-', 'sk-proj-') },
      io: noFiles,
      message: 'KEYWARDEN_OPENAI_ADMIN_KEY: expected an OpenAI admin key (sk-admin-…)',
    },
    {
      name: 'an Anthropic key of the wrong kind',
      env: { KEYWARDEN_ANTHROPIC_ADMIN_KEY: anthropicKey.replace('admin01', 'api03') },
      io: noFiles,
      message: 'KEYWARDEN_ANTHROPIC_ADMIN_KEY: expected an Anthropic admin key (sk-ant-admin01-…)',
    },
    {
      name: 'a truncated OpenAI admin key',
      env: { KEYWARDEN_OPENAI_ADMIN_KEY: openaiKey.slice(0, 15) },
      io: noFiles,
      message: 'KEYWARDEN_OPENAI_ADMIN_KEY: too short for an OpenAI admin key',
    },
    {
      name: 'an AWS secret without its key id',
      env: { KEYWARDEN_AWS_SECRET_ACCESS_KEY: awsSecret },
      io: noFiles,
      message:
        'KEYWARDEN_AWS_ACCESS_KEY_ID is missing: set both KEYWARDEN_AWS_ACCESS_KEY_ID and KEYWARDEN_AWS_SECRET_ACCESS_KEY, or neither',
    },
    {
      name: 'an AWS key id without its secret',
      env: { KEYWARDEN_AWS_ACCESS_KEY_ID: awsKeyId, KEYWARDEN_AWS_SESSION_TOKEN: awsSession },
      io: noFiles,
      message:
        'KEYWARDEN_AWS_SECRET_ACCESS_KEY is missing: set both KEYWARDEN_AWS_ACCESS_KEY_ID and KEYWARDEN_AWS_SECRET_ACCESS_KEY, or neither',
    },
    {
      name: 'a malformed AWS key id and region',
      env: {
        KEYWARDEN_AWS_ACCESS_KEY_ID: `${awsSecret.slice(0, 20)}`,
        KEYWARDEN_AWS_SECRET_ACCESS_KEY: awsSecret,
        KEYWARDEN_AWS_REGION: 'Frankfurt',
      },
      io: noFiles,
      message:
        'KEYWARDEN_AWS_ACCESS_KEY_ID: expected an access key id (AKIA… or ASIA…, 20 characters); KEYWARDEN_AWS_REGION: expected a region such as us-east-1',
    },
    {
      name: 'a Google key file that does not exist',
      env: { KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE: '/nowhere.json' },
      io: noFiles,
      message: 'KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE names /nowhere.json, which cannot be read (ENOENT)',
    },
    {
      name: 'a world-readable Google key file',
      env: { KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE: '/g.json' },
      io: files({ '/g.json': { mode: 0o644, text: JSON.stringify(serviceAccount) } }),
      message:
        'KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE names /g.json, which group or others may read (mode 644): run chmod 600 on it',
    },
    {
      name: 'a Google key file that is not JSON (and holds a key)',
      env: { KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE: '/g.json' },
      io: files({ '/g.json': { text: `{"private_key": "${privateKey}", oops ${openaiKey}` } }),
      message: 'KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE names /g.json, which is not valid JSON',
    },
    {
      name: 'a Google key of another type with a certificate for a key',
      env: { KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE: '/g.json' },
      io: files({
        '/g.json': {
          text: JSON.stringify({ ...serviceAccount, type: 'authorized_user', private_key: wrongPrefixPem }),
        },
      }),
      message:
        'KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE type: expected "service_account"; KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE private_key: expected a PEM private key',
    },
    {
      name: 'a Google key without e-mail or project',
      env: { KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE: '/g.json' },
      io: files({
        '/g.json': { text: JSON.stringify({ ...serviceAccount, client_email: 42, project_id: undefined }) },
      }),
      message:
        'KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE client_email: expected the service account e-mail; KEYWARDEN_GOOGLE_SERVICE_ACCOUNT_FILE project_id: expected the project id',
    },
    {
      name: 'a secrets file with a misspelt section and a wrong key',
      env: { KEYWARDEN_PROVIDER_SECRETS_FILE: '/s.json' },
      io: files({
        '/s.json': {
          text: JSON.stringify({ openAI: { adminKey: openaiKey }, anthropic: { adminKey: openaiKey } }),
        },
      }),
      message:
        'KEYWARDEN_PROVIDER_SECRETS_FILE anthropic.adminKey: expected an Anthropic admin key (sk-ant-admin01-…); KEYWARDEN_PROVIDER_SECRETS_FILE: unknown field(s) openAI',
    },
    {
      name: 'a secrets file that is not an object',
      env: { KEYWARDEN_PROVIDER_SECRETS_FILE: '/s.json' },
      io: files({ '/s.json': { text: JSON.stringify([openaiKey]) } }),
      message:
        'KEYWARDEN_PROVIDER_SECRETS_FILE: expected an object with openai, anthropic, google or aws sections',
    },
    {
      name: 'an AWS section with an unknown field',
      env: { KEYWARDEN_PROVIDER_SECRETS_FILE: '/s.json' },
      io: files({
        '/s.json': {
          text: JSON.stringify({
            aws: { accessKeyId: awsKeyId, secretAccessKey: awsSecret, secret_key: awsSecret },
          }),
        },
      }),
      message: 'KEYWARDEN_PROVIDER_SECRETS_FILE aws: unknown field(s) secret_key',
    },
    {
      name: 'the same provider in the environment and the file',
      env: {
        KEYWARDEN_OPENAI_ADMIN_KEY: openaiKey,
        KEYWARDEN_PROVIDER_SECRETS_FILE: '/s.json',
      },
      io: files({ '/s.json': { text: JSON.stringify({ openai: { adminKey: openaiKey } }) } }),
      message:
        'openai is configured twice: in the environment (KEYWARDEN_OPENAI_ADMIN_KEY) and in KEYWARDEN_PROVIDER_SECRETS_FILE (openai); keep one',
    },
  ])('refuses $name, naming the variable and never the value', ({ env, io, message }) => {
    const loaded = loadAdminCredentials(env, io);

    expect(loaded).toEqual({ ok: false, message: `admin credentials: ${message}` });
    if (!loaded.ok) expectNoValues(loaded.message);
  });
});
