import { describe, expect, it } from 'vitest';
import { ruleProbe } from '../../../test/support/rule-probe.js';
import { ALPHABETS, fake } from '../examples.js';
import { botToken, slack, userToken } from './index.js';

const { findings } = ruleProbe(slack.rules);

describe('slack tokens', () => {
  it('generate the documented shapes', () => {
    expect(botToken('shape')).toMatch(/^xoxb-[1-9][0-9]{11}-[1-9][0-9]{11}-[A-Za-z0-9]{24}$/);
    expect(userToken('shape')).toMatch(/^xoxp-(?:[1-9][0-9]{11}-){3}[a-f0-9]{32}$/);
  });

  it('reports bot and user tokens under their own rules', () => {
    const bot = botToken('kinds');
    const user = userToken('kinds');

    expect(findings(`SLACK_BOT_TOKEN=${bot}\nSLACK_USER_TOKEN=${user}`)).toEqual([
      { ruleId: 'slack.bot-token', secret: bot },
      { ruleId: 'slack.user-token', secret: user },
    ]);
  });

  it('accepts the shorter numbers of older workspaces', () => {
    const bot = `xoxb-${'47834520'}${'726'}-${'2364535789'}-${fake('old', 24, ALPHABETS.alnum)}`;

    expect(findings(`token = "${bot}"`)).toEqual([{ ruleId: 'slack.bot-token', secret: bot }]);
  });

  it('leaves rotating, legacy and app-level tokens to other rules', () => {
    const text = [
      `xoxe.xoxb-1-${fake('rotating', 163, ALPHABETS.alnum)}`,
      `xoxb-${'263594206564'}-${fake('legacy', 24, ALPHABETS.alnum)}`,
      `xapp-1-A052FGTS2DL-${'5171572773'}${'297'}-${fake('app', 64, ALPHABETS.hexLower)}`,
      'slack_xoxb-token_value_here',
    ].join('\n');

    expect(findings(text)).toEqual([]);
  });

  it('drops a bot token whose secret part is one repeated character', () => {
    const bot = `xoxb-${'781236542736'}-${'2364535789652'}-${'a'.repeat(24)}`;

    expect(findings(`SLACK_BOT_TOKEN=${bot}`)).toEqual([]);
  });

  it('samples valid, deterministic tokens', () => {
    for (const rule of slack.rules) {
      const secret = rule.sample('s');

      expect(rule.sample('s')).toBe(secret);
      expect(findings(`token: ${secret}`)).toEqual([{ ruleId: rule.id, secret }]);
    }
  });
});
