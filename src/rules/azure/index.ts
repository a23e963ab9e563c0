import { ALPHABETS, fake } from '../examples.js';
import { anyCase, bare } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Azure OpenAI and Azure AI services keys.
 * - Classic keys are 32 hex characters with nothing to name them (Microsoft Purview "Azure Cognitive
 *   Service key" definition; trufflehog `pkg/detectors/azure_openai` pairs them with an
 *   `*.openai.azure.com` host). They count only when assigned to a `…key` name with Azure OpenAI context
 *   within a few lines.
 * - Newer keys are 84 characters in Microsoft's common annotated security key layout: 52 random
 *   characters, `JQQJ99`, a date, 12 platform characters, `AAA` + a service character, the Cognitive
 *   Services signature `ACOG`, and 4 checksum characters (microsoft/security-utilities, SEC101/205
 *   Azure AI services and SEC101/206 Azure OpenAI). Those name themselves and need no context.
 */

/** Azure OpenAI context, as keywords (lower-case) and as the pattern matching them in any case. */
const CONTEXT_WORDS = [
  'openai.azure.com',
  'azure_openai',
  'azure-openai',
  'azure.openai',
  'azureopenai',
  'azurechatopenai',
  'openai_api_type',
  'openai.api_type',
];
const CONTEXT = `(?:${CONTEXT_WORDS.map(anyCase).join('|')})`;

const HEX32 = '[a-fA-F0-9]{32}';
/** Context must lie this close to the key; the window is wider, so no window edge can cut a key short. */
const REACH = 400;

/**
 * The value is assigned to a key name that is either generic (`api_key`, `"api-key":`, `key1:`) or names
 * Azure or OpenAI (`AZURE_OPENAI_API_KEY=`, `openai.api_key =`, `AzureKeyCredential("`), in code, config,
 * JSON-escaped strings and Kubernetes `- name: …_KEY` / `value: …` pairs. `ELEVENLABS_LEGACY_KEY` or
 * `MIXPANEL_API_KEY` in the same file name some other provider's 32-hex key, and are left alone.
 */
const AZURE_NAMED = `[A-Za-z0-9_.-]{0,30}(?:${['azure', 'openai', 'aoai'].map(anyCase).join('|')})[A-Za-z0-9_.-]{0,30}`;
const GENERIC = `(?:${['api', 'subscription', 'ocp-apim-subscription', 'access', 'secret'].map(anyCase).join('|')})?[_.-]?`;
const KEY_NAME = `(?<![A-Za-z0-9_.-])(?:${AZURE_NAMED}|${GENERIC})[Kk][Ee][Yy][A-Za-z0-9_]{0,12}`;
const INLINE = `(?:\\\\?["'\\]]){0,2}[ \\t]{0,4}(?::=|=>|[=:(]|[ \\t])[ \\t]{0,4}(?:\\\\?["'\`])?`;
const K8S_VALUE = `["']?[ \\t]{0,4}\\r?\\n[ \\t]{0,40}value[ \\t]{0,4}:[ \\t]{0,4}["']?`;
const ASSIGNED_TO_KEY = `(?<=${KEY_NAME}(?:${INLINE}|${K8S_VALUE}))`;

function hexKey(seed: string): string {
  return fake(seed, 32, ALPHABETS.hexLower);
}

const openaiKey: Rule = {
  id: 'azure.openai-key',
  provider: 'azure',
  title: 'Azure OpenAI API key',
  class: 'model-api',
  // high: calls the resource's model deployments on its subscription's bill and reads its files and batches.
  severity: 'high',
  keywords: CONTEXT_WORDS,
  anchor: 'window',
  pattern: new RegExp(
    `(?=${HEX32}(?![A-Za-z0-9_-]))${ASSIGNED_TO_KEY}` +
      `(?:(?<=${CONTEXT}[\\s\\S]{0,${REACH}})|(?=${HEX32}[\\s\\S]{0,${REACH}}${CONTEXT}))(?<secret>${HEX32})`,
  ),
  valueShape: bare(HEX32),
  window: { before: REACH + 60, after: REACH + 60, multiline: true },
  minEntropy: 3,
  revokeUrl: 'https://portal.azure.com/#view/Microsoft_Azure_ProjectOxford/CognitiveServicesHub/~/OpenAI',
  sample: (seed) => hexKey(`azure.openai:${seed}`),
  examples: () => {
    const secret = hexKey('azure.openai:example');
    const other = hexKey('azure.openai:other');
    return {
      positive: [
        { text: `AZURE_OPENAI_API_KEY=${secret}`, secret },
        {
          text: `AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com/\nAZURE_OPENAI_API_KEY="${secret}"`,
          secret,
        },
        {
          text: `client = AzureOpenAI(\n    api_key="${secret}",\n    api_version="2024-10-21",\n    azure_endpoint="https://contoso.openai.azure.com",\n)`,
          secret,
        },
        {
          text: `{"azure_openai": {"endpoint": "https://contoso.openai.azure.com/", "key": "${secret}"}}`,
          secret,
        },
        { text: `spring.ai.azure.openai.api-key=${secret}`, secret },
        { text: `openai.api_type = "azure"\nopenai.api_key = '${secret}'`, secret },
        {
          text: `var client = new AzureOpenAIClient(new Uri(endpoint), new AzureKeyCredential("${secret}"));`,
          secret,
        },
        {
          text: `curl https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions -H "api-key: ${secret}"`,
          secret,
        },
        { text: `"source": "AZURE_OPENAI_API_KEY = \\"${secret}\\"\\n"`, secret },
        { text: `- name: AZURE_OPENAI_API_KEY\n  value: "${secret}"`, secret },
      ],
      negative: [
        // 32 hex under a key name, but nothing Azure OpenAI about it.
        `MIXPANEL_API_KEY=${other}`,
        // Another provider's 32-hex key near Azure OpenAI settings.
        `const ELEVENLABS_LEGACY_KEY = '${other}';\nconst AZURE_OPENAI_ENDPOINT = 'https://contoso.openai.azure.com';`,
        // Azure OpenAI context, but the hex is not assigned to a key.
        `AZURE_OPENAI_DEPLOYMENT_ID=${other}`,
        `AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com/ # build ${other}`,
        // Wrong length or charset.
        `AZURE_OPENAI_API_KEY=${other.slice(0, 31)}`,
        `AZURE_OPENAI_API_KEY=${other}a`,
        `AZURE_OPENAI_API_KEY=${other.slice(0, 31)}g`,
        // A GUID is not a key.
        `AZURE_OPENAI_API_KEY=${other.slice(0, 8)}-${other.slice(8, 12)}-${other.slice(12, 16)}-${other.slice(16, 20)}-${other.slice(20)}`,
        // An OpenAI key in Azure context belongs to the OpenAI rules.
        `AZURE_OPENAI_API_KEY=sk-${other}`,
        // Context too far away: more than a few lines between them.
        `AZURE_OPENAI_ENDPOINT=https://contoso.openai.azure.com/\n${'# ----------------------------------------\n'.repeat(12)}STRIPE_KEY=${other}`,
      ],
    };
  },
};

const CASK_BODY = '[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9][A-L][A-Za-z0-9]{12}AAA[A-Za-z0-9]ACOG[A-Za-z0-9]{4}';

/** An 84-character Cognitive Services key: random, `JQQJ99`, date, platform bytes, `AAA?`, `ACOG`, checksum. */
function caskKey(seed: string): string {
  const part = (name: string, length: number, alphabet: string = ALPHABETS.alnum) =>
    fake(`${seed}:${name}`, length, alphabet);
  return `${part('body', 52)}JQQJ99${part('year', 1, 'ABC')}${part('month', 1, 'ABCDEFGHIJKL')}${part('platform', 12)}AAA${part('service', 1)}ACOG${part('checksum', 4)}`;
}

const aiServicesKey: Rule = {
  id: 'azure.ai-services-key',
  provider: 'azure',
  title: 'Azure AI services key (84-character, incl. Azure OpenAI)',
  class: 'cloud-ai',
  // high: opens the resource's AI services (Azure OpenAI deployments, Speech, Vision, Language) on its bill.
  severity: 'high',
  keywords: ['jqqj99'],
  anchor: 'window',
  pattern: new RegExp(`(?<![A-Za-z0-9+/_-])(?<secret>${CASK_BODY})(?![A-Za-z0-9+/=_-])`),
  minEntropy: 3.5,
  revokeUrl: 'https://portal.azure.com/#view/Microsoft_Azure_ProjectOxford/CognitiveServicesHub/~/AIServices',
  sample: (seed) => caskKey(`azure.cask:${seed}`),
  examples: () => {
    const secret = caskKey('azure.cask:example');
    const near = caskKey('azure.cask:near');
    return {
      positive: [
        { text: `AZURE_OPENAI_API_KEY=${secret}`, secret },
        { text: `  speech_key: "${secret}"`, secret },
        { text: `headers = {"Ocp-Apim-Subscription-Key": "${secret}"}`, secret },
        { text: `$env:AZURE_AI_KEY = '${secret}'`, secret },
        { text: `{"name":"contoso-ai","key1":"${secret}"}`, secret },
      ],
      negative: [
        // Another provider's signature in the same layout (Event Grid, `AZEG`).
        `KEY=${near.replace('ACOG', 'AZEG')}`,
        // A derived-key marker, which Cognitive Services does not issue.
        `KEY=${near.replace('JQQJ99', 'JQQJ9D')}`,
        // A month letter past L.
        `KEY=${near.slice(0, 59)}M${near.slice(60)}`,
        // Too short, and the 88-character long form (Cognitive Services keys are never long-form).
        `KEY=${near.slice(1)}`,
        `KEY=${near}AB==`,
        // Glued into a longer base64 value.
        `blob=QUJD${near}`,
      ],
    };
  },
};

export const azure: RuleFamily = { id: 'azure', rules: [openaiKey, aiServicesKey] };
