import { anthropic } from './anthropic/index.js';
import { aws } from './aws/index.js';
import { github } from './github/index.js';
import { google } from './google/index.js';
import { groq } from './groq/index.js';
import { huggingface } from './huggingface/index.js';
import { langsmith } from './langsmith/index.js';
import { nvidia } from './nvidia/index.js';
import { openai } from './openai/index.js';
import { openrouter } from './openrouter/index.js';
import { pinecone } from './pinecone/index.js';
import { replicate } from './replicate/index.js';
import { slack } from './slack/index.js';
import type { ProviderAdapter } from './types.js';
import { xai } from './xai/index.js';

/**
 * Every provider adapter, sorted by provider. A new provider is one folder (`src/providers/<p>/`) and one
 * line here, like the rules.
 */
export const allAdapters: readonly ProviderAdapter[] = [
  anthropic,
  aws,
  github,
  google,
  groq,
  huggingface,
  langsmith,
  nvidia,
  openai,
  openrouter,
  pinecone,
  replicate,
  slack,
  xai,
];

/** The adapter that understands credentials of `ruleId` (from `provider`), if any. */
export function adapterFor(
  provider: string,
  ruleId: string,
  adapters: readonly ProviderAdapter[] = allAdapters,
): ProviderAdapter | undefined {
  return adapters.find((adapter) => adapter.provider === provider && adapter.rules.includes(ruleId));
}
