import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { databricksAccessToken } from './index.js';

describe('databricks.access-token', () => {
  it('keeps the one-digit suffix as part of the token', () => {
    const token = `${databricksAccessToken.sample('suffix')}-3`;

    const [finding] = scanText(`token = ${token}\n`, allRules);

    expect(finding!.secret.equals(token)).toBe(true);
    expect(finding!.redacted).toBe(`dapi…${token.slice(-4)}`);
  });

  it('reports a token in a Databricks CLI profile at its line and column', () => {
    const token = databricksAccessToken.sample('cfg');

    const findings = scanText(
      `[prod]\nhost  = https://adb-1.azuredatabricks.net\ntoken = ${token}\n`,
      allRules,
    );

    expect(findings.map((f) => [f.ruleId, f.line, f.column, f.class])).toEqual([
      ['databricks.access-token', 3, 9, 'ml-platform'],
    ]);
  });
});
