import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Tavily API keys: `tvly-`, an optional environment (`dev-`, `prod-`), then the random body. Two bodies
 * are issued: 32 alphanumerics (`tvly-…`, `tvly-dev-…`), and a short segment, `-`, and 42 alphanumerics
 * (`tvly-dev-XXXXXX-…`, current dashboard keys).
 * Sources: trufflehog `pkg/detectors/tavily` (`tvly-(?:dev-|prod-)?[A-Za-z0-9]{20,40}`), the Tavily
 * docs (`tvly-YOUR_API_KEY`), and key shapes seen in public code for the segmented form.
 */

const PREFIX = 'tvly-';

/** A fresh current-style key: `tvly-dev-` + 6 + `-` + 42 alphanumerics. */
function apiKey(seed: string): string {
  return `${PREFIX}dev-${fake(`tavily.api-key:${seed}:id`, 6, ALPHABETS.alnum)}-${fake(`tavily.api-key:${seed}`, 42, ALPHABETS.alnum)}`;
}

/** A fresh classic key: `tvly-` + 32 alphanumerics. */
function classicKey(seed: string): string {
  return PREFIX + fake(`tavily.api-key:classic:${seed}`, 32, ALPHABETS.alnum);
}

const apiKeyRule: Rule = {
  id: 'tavily.api-key',
  provider: 'tavily',
  title: 'Tavily API key',
  class: 'agent-tool',
  // medium: spends the account's search and extract credits (agents call it in loops); no stored data
  // sits behind the key.
  severity: 'medium',
  keywords: [PREFIX],
  anchor: 'prefix',
  pattern: prefixed(PREFIX, '(?:(?:dev|prod)-(?:[A-Za-z0-9]{4,8}-)?)?[A-Za-z0-9]{28,48}'),
  minEntropy: 3.5,
  revokeUrl: 'https://app.tavily.com/home',
  sample: apiKey,
  examples: () => {
    const key = apiKey('example');
    const classic = classicKey('example');
    const dev = `${PREFIX}dev-${classic.slice(PREFIX.length)}`;
    return {
      positive: [
        { text: `TAVILY_API_KEY=${key}`, secret: key },
        { text: `tavily_client = TavilyClient(api_key="${classic}")`, secret: classic },
        { text: `"env": { "TAVILY_API_KEY": "${dev}" }`, secret: dev },
        { text: `export TAVILY_API_KEY='${key}'`, secret: key },
        { text: `search:\n  provider: tavily\n  api_key: ${classic}`, secret: classic },
        { text: `const TAVILY_KEY = process.env.TAVILY_API_KEY || "${key}";`, secret: key },
      ],
      negative: [
        // documented placeholders and short test strings
        'TAVILY_API_KEY=tvly-YOUR_API_KEY',
        'TAVILY_API_KEY=tvly-dev-key',
        'api_key="tvly-your-tavily-key-here"',
        // too short, too long, glued
        `TAVILY_API_KEY=${classic.slice(0, 30)}`,
        `TAVILY_API_KEY=${classic}${classic.slice(5)}`,
        `x${classic}`,
        // another prefix
        `TAVILY_API_KEY=tvlx-${classic.slice(PREFIX.length)}`,
      ],
    };
  },
};

export const tavily: RuleFamily = { id: 'tavily', rules: [apiKeyRule] };
