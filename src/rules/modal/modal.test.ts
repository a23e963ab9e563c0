import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function modalSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'modal.token-secret')
    .map((finding) => finding.secret.reveal());
}

describe('modal.token-secret', () => {
  const secret = `as-${fake('modal.test', 20, ALPHABETS.alnum)}aB`;

  it('finds the secret in a .modal.toml profile', () => {
    const toml = `[work]\ntoken_id = "ak-${fake('modal.test:id', 22, ALPHABETS.alnum)}"\ntoken_secret = "${secret}"\nactive = true\n`;
    expect(modalSecrets(toml)).toEqual([secret]);
  });

  it('requires both letter cases', () => {
    expect(
      modalSecrets(`MODAL_TOKEN_SECRET=as-${fake('modal.test:upper', 22, ALPHABETS.alnumUpper)}`),
    ).toEqual([]);
    expect(
      modalSecrets(`MODAL_TOKEN_SECRET=as-${fake('modal.test:lower', 22, ALPHABETS.alnumLower)}`),
    ).toEqual([]);
  });

  it('needs a Modal mention', () => {
    expect(modalSecrets(`SECRET=${secret}`)).toEqual([]);
  });

  it('ignores phrases in prose that happen to start with `as-`', () => {
    expect(modalSecrets('The modal closes as-is; see the as-built drawings.')).toEqual([]);
  });
});
