import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SealedProviders, sealedProviders } from '../../../test/support/providers.js';
import { redact } from '../../engine/redact.js';
import { Secret } from '../../engine/secret.js';
import { allRules } from '../../rules/registry.js';
import { NVIDIA_NOT_VERIFIABLE, nvidia } from './index.js';

const rule = allRules.find((r) => r.id === 'nvidia.api-key')!;
const raw = rule.sample('providers.nvidia');
const secret = new Secret(raw, redact(raw, rule.visiblePrefix));

let providers: SealedProviders;
beforeEach(() => {
  providers = sealedProviders();
});
afterEach(() => providers.restore());

describe('nvidia.verify', () => {
  it('answers unknown with the reason, and sends the key nowhere', async () => {
    const result = await nvidia.verify(secret, 'nvidia.api-key', providers.context());

    expect(result).toEqual({ verdict: 'unknown', detail: NVIDIA_NOT_VERIFIABLE });
    expect(result.detail).not.toContain(raw);
    expect(providers.requests()).toEqual([]);
    providers.done();
  });

  it('has no revoke: owners get the manual key page', () => {
    expect(nvidia.revoke).toBeUndefined();
    expect(rule.revokeUrl).toBe('https://org.ngc.nvidia.com/setup/api-keys');
  });
});
