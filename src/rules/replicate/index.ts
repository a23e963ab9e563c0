import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

function token(seed: string): string {
  return `r8_${fake(seed, 37, ALPHABETS.alnum)}`;
}

/** Replicate API tokens: `r8_` + 37 letters and digits. */
export const replicateApiToken: Rule = {
  id: 'replicate.api-token',
  provider: 'replicate',
  title: 'Replicate API token',
  class: 'inference',
  // High: runs any public or private model on the account's bill, and reads and deletes its
  // predictions, trainings and deployments.
  severity: 'high',
  keywords: ['r8_'],
  anchor: 'prefix',
  pattern: prefixed('r8_', '[A-Za-z0-9]{37}'),
  minEntropy: 3.5,
  revokeUrl: 'https://replicate.com/account/api-tokens',
  sample: (seed) => token(`replicate.api-token:${seed}`),
  examples: () => {
    const [a, b, c, d, e] = ['env', 'python', 'js', 'yaml', 'escaped'].map((name) =>
      token(`replicate:${name}`),
    ) as [string, string, string, string, string];
    return {
      positive: [
        { text: `REPLICATE_API_TOKEN=${a}`, secret: a },
        { text: `os.environ["REPLICATE_API_TOKEN"] = "${b}"`, secret: b },
        { text: `const replicate = new Replicate({ auth: '${c}' });`, secret: c },
        { text: `replicate:\n  api_token: ${d}\n`, secret: d },
        { text: `"cell": "client = replicate.Client(api_token=\\"${e}\\")\\n"`, secret: e },
      ],
      negative: [
        // one short, one long
        `REPLICATE_API_TOKEN=${token('replicate:neg:short').slice(0, -1)}`,
        `REPLICATE_API_TOKEN=${token('replicate:neg:long')}Q`,
        // `-` and `_` never occur in the body
        `REPLICATE_API_TOKEN=${token('replicate:neg:dash').slice(0, 20)}-${token('replicate:neg:dash').slice(21)}`,
        // placeholders and identifiers
        'REPLICATE_API_TOKEN=r8_your_token_here',
        `REPLICATE_API_TOKEN=r8_${'x'.repeat(37)}`,
        `const r8_${'registerCallbackHandlerForTheWidgetFactory'} = 1;`,
        // glued to an identifier
        `var2r8_${fake('replicate:neg:glued', 37, ALPHABETS.alnum)}`,
      ],
    };
  },
};

export const replicate: RuleFamily = { id: 'replicate', rules: [replicateApiToken] };
