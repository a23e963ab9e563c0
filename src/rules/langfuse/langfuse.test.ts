import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { hasUuid, langfuse, langfuseKey } from './index.js';

const engine = compileRules(langfuse.rules);

function findings(text: string) {
  return scanText(text, engine).map((finding) => ({
    ruleId: finding.ruleId,
    severity: finding.severity,
    secret: finding.secret.reveal(),
  }));
}

describe('langfuse keys', () => {
  it('reports the pair with the secret key high and the public key low', () => {
    const publicKey = langfuseKey('pk-lf-', 'pair');
    const secretKey = langfuseKey('sk-lf-', 'pair');

    expect(findings(`Langfuse(public_key="${publicKey}", secret_key="${secretKey}")`)).toEqual([
      { ruleId: 'langfuse.public-key', severity: 'low', secret: publicKey },
      { ruleId: 'langfuse.secret-key', severity: 'high', secret: secretKey },
    ]);
  });

  it('accepts keys minted the way Langfuse mints them (crypto.randomUUID)', () => {
    const secretKey = `sk-lf-${randomUUID()}`;

    expect(hasUuid(secretKey)).toBe(true);
    expect(findings(`LANGFUSE_SECRET_KEY=${secretKey}`).map((finding) => finding.ruleId)).toEqual([
      'langfuse.secret-key',
    ]);
  });

  it('rejects a value with the UUID layout but no UUID version', () => {
    const key = langfuseKey('sk-lf-', 'version');
    const noVersion = `${key.slice(0, 20)}0${key.slice(21)}`;

    expect(hasUuid(noVersion)).toBe(false);
    expect(findings(`LANGFUSE_SECRET_KEY=${noVersion}`)).toEqual([]);
  });

  it('ignores custom hex secrets, dashless UUIDs and lookalike identifiers', () => {
    const dashless = langfuseKey('', 'dashless').replaceAll('-', '');
    const text = [
      `LANGFUSE_INIT_PROJECT_SECRET_KEY=sk-lf-${fake('hex', 64, ALPHABETS.hexLower)}`,
      `LANGFUSE_SECRET_KEY=sk-lf-${dashless}`,
      'LANGFUSE_SECRET_KEY=sk-lf-token_value_here',
      `task-lf-${langfuseKey('', 'glued')}`,
    ].join('\n');

    expect(findings(text)).toEqual([]);
  });

  it('samples valid, deterministic keys', () => {
    for (const rule of langfuse.rules) {
      const secret = rule.sample('s');

      expect(rule.sample('s')).toBe(secret);
      expect(findings(`key: ${secret}`).map((finding) => finding.secret)).toEqual([secret]);
    }
  });
});
