import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { replicateApiToken } from './index.js';

describe('replicate.api-token', () => {
  it('reports the token with its class and a redacted preview', () => {
    const token = replicateApiToken.sample('preview');

    const [finding] = scanText(`export REPLICATE_API_TOKEN=${token}`, allRules);

    expect(finding).toMatchObject({ ruleId: 'replicate.api-token', line: 1, column: 28, class: 'inference' });
    expect(finding!.redacted).toBe(`r8_…${token.slice(-4)}`);
  });
});

describe('replicate.api-token boundaries', () => {
  it('stops at punctuation but not inside a longer token', () => {
    const token = replicateApiToken.sample('boundary');

    const inHeader = scanText(`-H "Authorization: Token ${token}", -d '{}'`, allRules);
    const runOn = scanText(`-H "Authorization: Token ${token}9"`, allRules);

    expect(inHeader.map((f) => f.ruleId)).toEqual(['replicate.api-token']);
    expect(runOn).toEqual([]);
  });
});
