import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { nvidiaApiKey } from './index.js';

describe('nvidia.api-key', () => {
  it('reports a key whose body starts and ends with - or _', () => {
    const key = `nvapi-_${nvidiaApiKey.sample('edges').slice(7, -1)}-`;

    const findings = scanText(`NGC_API_KEY="${key}"`, allRules);

    expect(findings.map((f) => f.ruleId)).toEqual(['nvidia.api-key']);
    expect(findings[0]!.secret.equals(key)).toBe(true);
    expect(findings[0]!.redacted).toBe(`nvapi-…${key.slice(-4)}`);
  });
});

describe('nvidia.api-key boundaries', () => {
  it('does not report a key that runs on past 64 characters', () => {
    const key = nvidiaApiKey.sample('run-on');

    expect(scanText(`NVIDIA_API_KEY=${key}_x`, allRules)).toEqual([]);
    expect(scanText(`NVIDIA_API_KEY=${key};`, allRules).map((f) => f.ruleId)).toEqual(['nvidia.api-key']);
  });
});
