import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { accessKeyId, awsSecretAccessKey, isSecretAccessKey } from './access-keys.js';
import {
  awsBedrockApiKey,
  awsBedrockShortTermKey,
  isLongTermBedrockKey,
  isShortTermBedrockKey,
} from './bedrock.js';
import { aws } from './index.js';

describe('aws access keys', () => {
  it('reports both halves of a credentials file, each with its own rule and line', () => {
    const id = accessKeyId('test:pair');
    const secret = awsSecretAccessKey.sample('pair');
    const text = `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\nregion = us-east-1\n`;

    const findings = scanText(text, allRules);

    expect(findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([
      ['aws.access-key-id', 2, 21],
      ['aws.secret-access-key', 3, 25],
    ]);
    expect(findings[0]!.redacted).toBe(`AKIA…${id.slice(-4)}`);
    expect(findings[1]!.redacted).toBe(`…${secret.slice(-4)}`);
    expect(findings[1]!.severity).toBe('critical');
  });

  it('finds a secret right after its key id in a console CSV export', () => {
    const id = accessKeyId('test:csv', 'ASIA');
    const secret = awsSecretAccessKey.sample('csv');

    const findings = scanText(`Access key ID,Secret access key\n${id},${secret}\n`, aws.rules);

    expect(findings.map((f) => f.ruleId)).toEqual(['aws.access-key-id', 'aws.secret-access-key']);
    expect(findings[1]!.secret.equals(secret)).toBe(true);
  });

  it('requires both letter cases and a digit or +/ in a secret', () => {
    expect(isSecretAccessKey(awsSecretAccessKey.sample('v'))).toBe(true);
    expect(isSecretAccessKey('abcdefghijklmnopqrstuvwxyzabcdefghijklmn')).toBe(false);
    expect(isSecretAccessKey('AbcdefghijklmnopqrstuvwxyzAbcdefghijklmn')).toBe(false);
  });
});

describe('aws bedrock keys', () => {
  it('long-term samples decode to the documented BedrockAPIKey payload', () => {
    const key = awsBedrockApiKey.sample('decode');

    const payload = Buffer.from(key.slice(4), 'base64').toString('utf8');

    expect(key.startsWith('ABSKQmVkcm9ja0FQSUtleS')).toBe(true);
    expect(payload).toMatch(/^BedrockAPIKey-[a-z0-9]{4}-at-[0-9]{12}:[A-Za-z0-9+/]{59}=$/);
    expect(isLongTermBedrockKey(key)).toBe(true);
  });

  it('rejects a long-term key whose payload lacks the account part', () => {
    const payload = Buffer.from(`BedrockAPIKey-abcd:${'Zm9v'.repeat(20)}`).toString('base64');

    expect(isLongTermBedrockKey(`ABSK${payload}`)).toBe(false);
  });

  it('short-term samples decode to a presigned bedrock.amazonaws.com URL', () => {
    const key = awsBedrockShortTermKey.sample('decode');

    const url = Buffer.from(key.slice('bedrock-api-key-'.length), 'base64').toString('utf8');

    expect(url).toMatch(
      /^bedrock\.amazonaws\.com\/\?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256/,
    );
    expect(url.endsWith('&Version=1')).toBe(true);
    expect(isShortTermBedrockKey(key)).toBe(true);
  });

  it('reports a short-term key carrying a long session token, redacted to its prefix', () => {
    const url = `bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=x&X-Amz-Security-Token=${'Rk9P'.repeat(5)}${fakeTail()}&X-Amz-Signature=ab&Version=1`;
    const key = `bedrock-api-key-${Buffer.from(url).toString('base64')}`;

    const findings = scanText(`AWS_BEARER_TOKEN_BEDROCK=${key}\n`, allRules);

    expect(key.length).toBeGreaterThan(3000);
    expect(findings.map((f) => f.ruleId)).toEqual(['aws.bedrock-short-term-key']);
    expect(findings[0]!.secret.equals(key)).toBe(true);
    expect(findings[0]!.redacted).toBe(`bedrock-api-key-…${key.slice(-4)}`);
  });
});

function fakeTail(): string {
  return awsSecretAccessKey.sample('tail').repeat(60);
}
