import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

function key(seed: string): string {
  return `nvapi-${fake(seed, 64, ALPHABETS.base64url)}`;
}

/** NVIDIA API keys (`nvapi-…`): build.nvidia.com / NIM endpoints and NGC personal keys. */
export const nvidiaApiKey: Rule = {
  id: 'nvidia.api-key',
  provider: 'nvidia',
  title: 'NVIDIA API key (NIM / NGC)',
  class: 'inference',
  // High: calls hosted NIM models on the account's credits and, for NGC personal keys, pulls the
  // organisation's private containers and models from nvcr.io.
  severity: 'high',
  keywords: ['nvapi-'],
  anchor: 'prefix',
  pattern: prefixed('nvapi-', '[A-Za-z0-9_-]{64}'),
  minEntropy: 4,
  revokeUrl: 'https://org.ngc.nvidia.com/setup/api-keys',
  sample: (seed) => key(`nvidia.api-key:${seed}`),
  examples: () => {
    const [a, b, c, d, e] = ['env', 'python', 'shell', 'json', 'escaped'].map((name) =>
      key(`nvidia:${name}`),
    ) as [string, string, string, string, string];
    return {
      positive: [
        { text: `NVIDIA_API_KEY=${a}`, secret: a },
        {
          text: `client = OpenAI(base_url="https://integrate.api.nvidia.com/v1", api_key="${b}")`,
          secret: b,
        },
        { text: `echo "${c}" | docker login nvcr.io -u '$oauthtoken' --password-stdin`, secret: c },
        { text: `{"nim": {"apiKey": "${d}"}}`, secret: d },
        { text: `"env": "{\\"NGC_API_KEY\\":\\"${e}\\"}"`, secret: e },
      ],
      negative: [
        // one short, one long
        `NVIDIA_API_KEY=${key('nvidia:neg:short').slice(0, -1)}`,
        `NVIDIA_API_KEY=${key('nvidia:neg:long')}Q`,
        // a character outside base64url inside the body
        `NVIDIA_API_KEY=${key('nvidia:neg:dot').slice(0, 30)}.${key('nvidia:neg:dot').slice(31)}`,
        // placeholders and test values
        'NVIDIA_API_KEY=nvapi-your-key-here',
        'provider = NVIDIAProvider(api_key="nvapi-mock-test-key")',
        `NVIDIA_API_KEY=nvapi-${'x'.repeat(64)}`,
        // glued to an identifier, and the marker in another case
        `ngcnvapi-${fake('nvidia:neg:glued', 64, ALPHABETS.base64url)}`,
        `NVIDIA_API_KEY=NVAPI-${fake('nvidia:neg:case', 64, ALPHABETS.base64url)}`,
      ],
    };
  },
};

export const nvidia: RuleFamily = { id: 'nvidia', rules: [nvidiaApiKey] };
