import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Slack bot and user OAuth tokens, the credentials Slack agents and MCP servers run on. Slack documents the
 * prefixes (docs.slack.dev/authentication/tokens) but not the shape; the shapes below are the ones
 * gitleaks (`slack.go`) and trufflehog (`pkg/detectors/slack`) use, confirmed on public tokens:
 * - bot:  `xoxb-<team number>-<bot user number>-<24 base62>`
 * - user: `xoxp-<team number>-<user number>-<token number>-<32 lower-case hex>`
 * Legacy two-part bot tokens (`xoxb-<n>-<24>`) and rotating `xoxe.xoxb-1-…` tokens are out of scope.
 */

const NUMBER = '[0-9]{8,14}';
const DIGITS = '0123456789';

function number(seed: string): string {
  return fake(`${seed}:lead`, 1, '123456789') + fake(seed, 11, DIGITS);
}

/** A bot token of the documented shape for `seed`. */
export function botToken(seed: string): string {
  return `xoxb-${number(`${seed}:team`)}-${number(`${seed}:bot`)}-${fake(`${seed}:secret`, 24, ALPHABETS.alnum)}`;
}

/** A user token of the documented shape for `seed`. */
export function userToken(seed: string): string {
  const numbers = [number(`${seed}:team`), number(`${seed}:user`), number(`${seed}:token`)].join('-');
  return `xoxp-${numbers}-${fake(`${seed}:secret`, 32, ALPHABETS.hexLower)}`;
}

const botTokenRule: Rule = {
  id: 'slack.bot-token',
  provider: 'slack',
  title: 'Slack bot token',
  class: 'agent-tool',
  // high: reads and posts in every channel the bot is in, for as long as the app stays installed.
  severity: 'high',
  keywords: ['xoxb-'],
  anchor: 'prefix',
  pattern: prefixed('xoxb-', `${NUMBER}-${NUMBER}-[A-Za-z0-9]{24}`),
  minEntropy: 3,
  revokeUrl: 'https://api.slack.com/apps',
  sample: (seed) => botToken(`slack.bot-token:${seed}`),
  examples: () => {
    const secret = botToken('slack.bot-token:example');
    const [, team, bot] = secret.split('-') as [string, string, string, string];
    return {
      positive: [
        { text: `SLACK_BOT_TOKEN=${secret}`, secret },
        { text: `  slack:\n    bot_token: "${secret}"`, secret },
        { text: `{"mcpServers":{"slack":{"env":{"SLACK_BOT_TOKEN":"${secret}"}}}}`, secret },
        { text: `app = App(token="${secret}", signing_secret=os.environ["SLACK_SIGNING_SECRET"])`, secret },
        { text: `curl -H 'Authorization: Bearer ${secret}' https://slack.com/api/auth.test`, secret },
      ],
      negative: [
        `SLACK_BOT_TOKEN=${secret.slice(0, -1)}`,
        `SLACK_BOT_TOKEN=${secret}A`,
        `SLACK_BOT_TOKEN=xoxb-${team}-${bot}-${fake('slack.bot-token:dash', 12, ALPHABETS.alnum)}_${fake('slack.bot-token:dash2', 11, ALPHABETS.alnum)}`,
        `SLACK_BOT_TOKEN=xoxb-${team}-${fake('slack.bot-token:legacy', 24, ALPHABETS.alnum)}`,
        'SLACK_BOT_TOKEN=xoxb-my-bot-token_value_here',
        `SLACK_BOT_TOKEN=xoxe.xoxb-1-${fake('slack.bot-token:rotating', 163, ALPHABETS.alnum)}`,
        `SLACK_USER_TOKEN=${userToken('slack.bot-token:sibling')}`,
      ],
    };
  },
};

const userTokenRule: Rule = {
  id: 'slack.user-token',
  provider: 'slack',
  title: 'Slack user token',
  class: 'agent-tool',
  // critical: acts as the person, including their private channels and direct messages.
  severity: 'critical',
  keywords: ['xoxp-'],
  anchor: 'prefix',
  pattern: prefixed('xoxp-', `${NUMBER}-${NUMBER}-${NUMBER}-[a-f0-9]{32}`),
  minEntropy: 3,
  revokeUrl: 'https://api.slack.com/apps',
  sample: (seed) => userToken(`slack.user-token:${seed}`),
  examples: () => {
    const secret = userToken('slack.user-token:example');
    const numbers = secret.slice('xoxp-'.length, secret.lastIndexOf('-'));
    return {
      positive: [
        { text: `SLACK_USER_TOKEN=${secret}`, secret },
        { text: `slack_user_token: '${secret}'`, secret },
        { text: `{"authed_user":{"id":"U0123ABCD","access_token":"${secret}"}}`, secret },
        { text: `export SLACK_TOKEN=${secret}`, secret },
        { text: `client = WebClient(token="${secret}")`, secret },
      ],
      negative: [
        `SLACK_USER_TOKEN=${secret.slice(0, -1)}`,
        `SLACK_USER_TOKEN=${secret}0`,
        `SLACK_USER_TOKEN=xoxp-${numbers}-${fake('slack.user-token:upper', 32, ALPHABETS.alnumUpper)}`,
        `SLACK_USER_TOKEN=xoxp-1234-5678-${fake('slack.user-token:short', 32, ALPHABETS.hexLower)}`,
        'SLACK_USER_TOKEN=xoxp-user-token_value_here',
        `SLACK_USER_TOKEN=xoxe.xoxp-1-${fake('slack.user-token:rotating', 163, ALPHABETS.alnum)}`,
        `SLACK_BOT_TOKEN=${botToken('slack.user-token:sibling')}`,
      ],
    };
  },
};

export const slack: RuleFamily = { id: 'slack', rules: [botTokenRule, userTokenRule] };
