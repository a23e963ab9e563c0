import { describe, expect, it } from 'vitest';
import { DEFAULT_FINGERPRINT_KEY } from '../engine/fingerprint.js';
import { parseServerEnv } from './env.js';

const CREDENTIALS = { APP_ID: '12345', PRIVATE_KEY: 'a private key' };

describe('parseServerEnv', () => {
  it('accepts an empty environment (Probot setup mode) with the defaults', () => {
    const result = parseServerEnv({});

    expect(result).toEqual({
      ok: true,
      env: expect.objectContaining({
        configured: false,
        PORT: 3000,
        KEYWARDEN_DATA_DIR: './.keywarden',
        fingerprintKey: DEFAULT_FINGERPRINT_KEY,
      }),
    });
  });

  it('refuses App credentials without a webhook secret outside development', () => {
    const result = parseServerEnv(CREDENTIALS);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/WEBHOOK_SECRET: is required outside development/);
  });

  it('allows a missing webhook secret in development', () => {
    expect(parseServerEnv({ ...CREDENTIALS, NODE_ENV: 'development' }).ok).toBe(true);
  });

  it('requires a fingerprint key of its own in production', () => {
    const result = parseServerEnv({ ...CREDENTIALS, WEBHOOK_SECRET: 's', NODE_ENV: 'production' });

    expect(!result.ok && result.message).toMatch(/KEYWARDEN_FINGERPRINT_KEY: is required in production/);
  });

  it('names every bad variable, one per line', () => {
    const result = parseServerEnv({
      APP_ID: 'my-app',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://localhost/db',
      GHE_HOST: 'https://github.example.com',
    });

    expect(result.ok).toBe(false);
    const lines = (!result.ok && result.message.split('\n')) || [];
    expect(lines[0]).toBe('invalid environment:');
    expect(
      lines
        .slice(1)
        .map((line) => line.trim().split(':')[0])
        .sort(),
    ).toEqual(['APP_ID', 'DATABASE_URL', 'GHE_HOST', 'PORT']);
  });

  it('uses the configured fingerprint key', () => {
    const result = parseServerEnv({
      ...CREDENTIALS,
      WEBHOOK_SECRET: 's',
      KEYWARDEN_FINGERPRINT_KEY: 'k'.repeat(32),
    });

    expect(result.ok && result.env.fingerprintKey).toBe('k'.repeat(32));
    expect(result.ok && result.env.configured).toBe(true);
  });
});
