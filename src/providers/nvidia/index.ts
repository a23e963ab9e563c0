import type { ProviderAdapter } from '../types.js';

/** Why `verify` never sends an NVIDIA key anywhere. */
export const NVIDIA_NOT_VERIFIABLE =
  'not checked: NVIDIA documents no read-only endpoint that checks an nvapi- key (the model list is public; ' +
  "NGC's get-caller-info is not in NVIDIA's API reference)";

/** NVIDIA API keys (`nvapi-…`): no documented way to verify them, so always `unknown`, and never sent. */
export const nvidia: ProviderAdapter = {
  provider: 'nvidia',
  rules: ['nvidia.api-key'],
  verify: async () => ({ verdict: 'unknown', detail: NVIDIA_NOT_VERIFIABLE }),
};
