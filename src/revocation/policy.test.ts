import { describe, expect, it } from 'vitest';
import { Secret } from '../engine/secret.js';
import type { ProviderAdapter } from '../providers/types.js';
import { identifies, revocationPlan, revokesOnConfirm, revokesWhenLive, verifies } from './policy.js';

const verifyOnly: ProviderAdapter = {
  provider: 'groq',
  rules: ['groq.api-key'],
  verify: () => Promise.resolve({ verdict: 'unknown', detail: 'not asked' }),
};
const revoking: ProviderAdapter = {
  ...verifyOnly,
  provider: 'openai',
  rules: ['openai.project-key'],
  revoke: () => Promise.resolve({ kind: 'refused', detail: 'not asked' }),
  identify: () => Promise.resolve(undefined),
};
const adminKey = new Secret('not-a-real-admin-key', 'sk-admin-…');

describe('revocation policy', () => {
  it('revokes through the API only when the policy allows and the adapter can', () => {
    expect(revocationPlan('on-confirm', revoking, 'openai')).toEqual({ mode: 'revoke' });
    expect(revocationPlan('auto-when-live', revoking, 'openai')).toEqual({ mode: 'revoke' });
    expect(revocationPlan('dry-run', revoking, 'openai')).toEqual({ mode: 'dry-run' });
    expect(revocationPlan('off', revoking, 'openai')).toEqual({
      mode: 'manual',
      why: 'revocation through the provider is off for this repository (`revocation: off` in `.github/keywarden.yml`)',
    });
    expect(revocationPlan('on-confirm', verifyOnly, 'groq')).toEqual({
      mode: 'manual',
      why: 'groq has no API keywarden can revoke this kind of key with',
    });
    expect(revocationPlan('auto-when-live', undefined, 'cohere').mode).toBe('manual');
  });

  it('starts revoking on confirm under on-confirm and auto-when-live only', () => {
    expect(revokesOnConfirm('on-confirm', revoking)).toBe(true);
    expect(revokesOnConfirm('auto-when-live', revoking)).toBe(true);
    expect(revokesOnConfirm('dry-run', revoking)).toBe(false);
    expect(revokesOnConfirm('off', revoking)).toBe(false);
    expect(revokesOnConfirm('on-confirm', verifyOnly)).toBe(false);
  });

  it('revokes a live key by itself only under auto-when-live, for high and critical severity', () => {
    expect(revokesWhenLive('auto-when-live', revoking, 'critical')).toBe(true);
    expect(revokesWhenLive('auto-when-live', revoking, 'high')).toBe(true);
    expect(revokesWhenLive('auto-when-live', revoking, 'medium')).toBe(false);
    expect(revokesWhenLive('auto-when-live', revoking, 'low')).toBe(false);
    expect(revokesWhenLive('on-confirm', revoking, 'critical')).toBe(false);
    expect(revokesWhenLive('auto-when-live', verifyOnly, 'critical')).toBe(false);
  });

  it('verifies under every policy but off', () => {
    expect(['off', 'dry-run', 'on-confirm', 'auto-when-live'].map((p) => verifies(p as 'off'))).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });

  it('identifies a key for the usage watch when the adapter can and the server holds the admin credential', () => {
    expect(identifies(revoking, { openai: { adminKey } })).toBe(true);
    expect(identifies(revoking, {})).toBe(false);
    expect(identifies(revoking, { anthropic: { adminKey } })).toBe(false);
    expect(identifies(verifyOnly, { openai: { adminKey } })).toBe(false);
    expect(identifies(undefined, { openai: { adminKey } })).toBe(false);
  });
});
