/**
 * Every rule family, sorted by id. Adding a family: one folder under `src/rules/` and one line here.
 * `test/rules-registry.test.ts` fails when a folder is missing from this list or has no readme.
 */
import { anthropic } from './anthropic/index.js';
import { assemblyai } from './assemblyai/index.js';
import { aws } from './aws/index.js';
import { azure } from './azure/index.js';
import { cerebras } from './cerebras/index.js';
import { cloudflare } from './cloudflare/index.js';
import { cohere } from './cohere/index.js';
import { databricks } from './databricks/index.js';
import { deepgram } from './deepgram/index.js';
import { deepseek } from './deepseek/index.js';
import { elevenlabs } from './elevenlabs/index.js';
import { fal } from './fal/index.js';
import { firecrawl } from './firecrawl/index.js';
import { github } from './github/index.js';
import { google } from './google/index.js';
import { groq } from './groq/index.js';
import { helicone } from './helicone/index.js';
import { huggingface } from './huggingface/index.js';
import { jina } from './jina/index.js';
import { langfuse } from './langfuse/index.js';
import { langsmith } from './langsmith/index.js';
import { mistral } from './mistral/index.js';
import { modal } from './modal/index.js';
import { nvidia } from './nvidia/index.js';
import { openai } from './openai/index.js';
import { openrouter } from './openrouter/index.js';
import { perplexity } from './perplexity/index.js';
import { pinecone } from './pinecone/index.js';
import { replicate } from './replicate/index.js';
import { slack } from './slack/index.js';
import { tavily } from './tavily/index.js';
import { together } from './together/index.js';
import type { Rule, RuleFamily } from './types.js';
import { voyageai } from './voyageai/index.js';
import { wandb } from './wandb/index.js';
import { xai } from './xai/index.js';

export const families: readonly RuleFamily[] = [
  anthropic,
  assemblyai,
  aws,
  azure,
  cerebras,
  cloudflare,
  cohere,
  databricks,
  deepgram,
  deepseek,
  elevenlabs,
  fal,
  firecrawl,
  github,
  google,
  groq,
  helicone,
  huggingface,
  jina,
  langfuse,
  langsmith,
  mistral,
  modal,
  nvidia,
  openai,
  openrouter,
  perplexity,
  pinecone,
  replicate,
  slack,
  tavily,
  together,
  voyageai,
  wandb,
  xai,
];

/** Every rule of every family. */
export const allRules: readonly Rule[] = families.flatMap((family) => family.rules);
