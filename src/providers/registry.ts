import type { ProviderAdapter } from './types.js';

/**
 * Every provider adapter, sorted by provider. A new provider is one folder (`src/providers/<p>/`) and one
 * line here, like the rules.
 */
export const allAdapters: readonly ProviderAdapter[] = [];

/** The adapter that understands credentials of `ruleId` (from `provider`), if any. */
export function adapterFor(
  provider: string,
  ruleId: string,
  adapters: readonly ProviderAdapter[] = allAdapters,
): ProviderAdapter | undefined {
  return adapters.find((adapter) => adapter.provider === provider && adapter.rules.includes(ruleId));
}
