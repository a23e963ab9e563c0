import { namedValue } from '../context.js';
import { ALPHABETS, fake } from '../examples.js';
import { anyCase, bare } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * DeepSeek API keys: `sk-` + 32 lower-case hex characters (trufflehog `pkg/detectors/deepseek`). Other
 * providers (Alibaba DashScope among them) issue the same shape, so a key counts only with DeepSeek
 * context: a `deepseek` variable or parent key (`DEEPSEEK_API_KEY=…`, `deepseek:` / `  api_key: …`,
 * `[deepseek]`), `deepseek` elsewhere on the key's line (`ChatDeepSeek(api_key=…)`), or the
 * `deepseek.com` API host within two lines (`OpenAI(api_key="…", base_url="https://api.deepseek.com")`).
 */

const KEY = 'sk-[a-f0-9]{32}';
const HOST = 'deepseek\\.com';
const LINE = '[^\\n]{0,200}';
/** Every extra head starts with this guard, so its lookarounds run only where a key-shaped value stands. */
const GUARD = `(?=${KEY}(?![A-Za-z0-9_-]))`;

/** Heads beyond the provider-named variable; each has at most one way to split its lines. */
const HEADS = [
  // `deepseek` earlier or later on the key's line: `ChatDeepSeek(api_key="…")`, `… # DeepSeek`.
  `(?<=${anyCase('deepseek')}[^\\n]{0,80})`,
  `(?=${KEY}[^\\n]{0,200}${anyCase('deepseek')})`,
  // The API host up to two lines before or after the key.
  `(?<=${HOST}${LINE}\\n${LINE})`,
  `(?<=${HOST}${LINE}\\n${LINE}\\n${LINE})`,
  `(?=${KEY}${LINE}\\n${LINE}${HOST})`,
  `(?=${KEY}${LINE}\\n${LINE}\\n${LINE}${HOST})`,
].map((head) => GUARD + head);

/** A Kubernetes env pair: `- name: DEEPSEEK_API_KEY` then `  value: "…"` on the next line. */
const K8S_VALUE = `${anyCase('deepseek')}[A-Za-z0-9_.-]{0,40}["']?[ \\t]{0,4}\\r?\\n[ \\t]{0,40}value[ \\t]{0,4}:[ \\t]{0,4}["']?`;

function keyOf(seed: string): string {
  return `sk-${fake(seed, 32, ALPHABETS.hexLower)}`;
}

const apiKey: Rule = {
  id: 'deepseek.api-key',
  provider: 'deepseek',
  title: 'DeepSeek API key',
  class: 'model-api',
  // high: spends the account's prepaid balance on DeepSeek models; keys do not expire.
  severity: 'high',
  keywords: ['deepseek'],
  anchor: 'window',
  pattern: namedValue(['deepseek'], KEY, { heads: [...HEADS, K8S_VALUE] }),
  valueShape: bare(KEY),
  // Wider than the two lines of reach above, so no window edge can cut a key short.
  window: { before: 700, after: 700, multiline: true },
  visiblePrefix: 'sk-',
  minEntropy: 3,
  revokeUrl: 'https://platform.deepseek.com/api_keys',
  sample: (seed) => keyOf(`deepseek:${seed}`),
  examples: () => {
    const secret = keyOf('deepseek:example');
    const other = keyOf('deepseek:other');
    return {
      positive: [
        { text: `DEEPSEEK_API_KEY=${secret}`, secret },
        { text: `client = OpenAI(api_key="${secret}", base_url="https://api.deepseek.com")`, secret },
        {
          text: `client = OpenAI(\n    api_key="${secret}",\n    base_url="https://api.deepseek.com/v1",\n)`,
          secret,
        },
        { text: `deepseek:\n  api_key: ${secret}\n  model: deepseek-chat`, secret },
        { text: `{"deepseek": {"apiKey": "${secret}", "model": "deepseek-reasoner"}}`, secret },
        { text: `[providers.deepseek]\napi_key = "${secret}"`, secret },
        { text: `export DEEPSEEK_KEY='${secret}'`, secret },
        { text: `        - name: DEEPSEEK_API_KEY\n          value: "${secret}"`, secret },
        { text: `llm = ChatDeepSeek(model="deepseek-chat", api_key="${secret}")`, secret },
        { text: `"source": "os.environ[\\"DEEPSEEK_API_KEY\\"] = \\"${secret}\\"\\n"`, secret },
      ],
      negative: [
        // The same shape for another provider, with no DeepSeek context at all.
        `DASHSCOPE_API_KEY=${other}`,
        // DeepSeek named, but far away and not as the key's parent.
        `# models: deepseek-chat\n${'# padding line\n'.repeat(6)}QWEN_API_KEY=${other}`,
        // A comment above is not a parent key.
        `# deepseek\nQWEN_API_KEY=${other}`,
        // Wrong length or charset in DeepSeek context.
        `DEEPSEEK_API_KEY=sk-${fake('deepseek:short', 31, ALPHABETS.hexLower)}`,
        `DEEPSEEK_API_KEY=sk-${fake('deepseek:long', 33, ALPHABETS.hexLower)}`,
        `DEEPSEEK_API_KEY=sk-${fake('deepseek:upper', 32, ALPHABETS.hexUpper)}`,
        `DEEPSEEK_API_KEY=sk-${fake('deepseek:alnum', 48, ALPHABETS.alnum)}`,
        // A model name, not a key.
        `DEEPSEEK_MODEL=deepseek-chat`,
        // Another provider's prefixed key in DeepSeek context.
        `DEEPSEEK_API_KEY=sk-or-v1-${fake('deepseek:openrouter', 64, ALPHABETS.hexLower)}`,
      ],
    };
  },
};

export const deepseek: RuleFamily = { id: 'deepseek', rules: [apiKey] };
