import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function wandbFindings(text: string): Array<[string, string]> {
  return scanText(text, engine)
    .filter((finding) => finding.provider === 'wandb')
    .map((finding) => [finding.ruleId, finding.secret.reveal()]);
}

describe('wandb.api-key', () => {
  const body = fake('wandb.test', 77, `${ALPHABETS.alnum}_`);
  const key = `wandb_v1_${body}`;

  it('accepts any 77 body characters of [A-Za-z0-9_], with or without the inner `_`', () => {
    const noUnderscore = `wandb_v1_${fake('wandb.test:plain', 77, ALPHABETS.alnum)}`;
    expect(wandbFindings(`WANDB_API_KEY=${key}`)).toEqual([['wandb.api-key', key]]);
    expect(wandbFindings(`WANDB_API_KEY=${noUnderscore}`)).toEqual([['wandb.api-key', noUnderscore]]);
  });

  it('keeps a self-managed host label with the key and shows only the prefix', () => {
    const [finding] = scanText(`WANDB_API_KEY=local-${key}`, engine);
    expect(finding?.secret.reveal()).toBe(`local-${key}`);
    expect(finding?.redacted.startsWith('local-wandb_v1_…')).toBe(true);
  });

  it('rejects 85 and 87 characters and glued keys', () => {
    expect(wandbFindings(`WANDB_API_KEY=${key.slice(0, -1)}`)).toEqual([]);
    expect(wandbFindings(`WANDB_API_KEY=${key}Z`)).toEqual([]);
    expect(wandbFindings(`_${key}`)).toEqual([]);
  });
});

describe('wandb.legacy-api-key', () => {
  const key = fake('wandb.test:legacy', 40, ALPHABETS.hexLower);

  it('finds the key where wandb writes and reads it', () => {
    expect(wandbFindings(`machine api.wandb.ai\n  login user\n  password ${key}\n`)).toEqual([
      ['wandb.legacy-api-key', key],
    ]);
    expect(wandbFindings(`machine api.wandb.ai login user password ${key}`)).toEqual([
      ['wandb.legacy-api-key', key],
    ]);
    expect(wandbFindings(`wandb.login(host="https://api.wandb.ai", key="${key}")`)).toEqual([
      ['wandb.legacy-api-key', key],
    ]);
    expect(wandbFindings(`RUN wandb login --relogin ${key}`)).toEqual([['wandb.legacy-api-key', key]]);
  });

  it('treats 40 hex next to a commit, sha, hash or id name as a git SHA', () => {
    expect(wandbFindings(`WANDB_GIT_COMMIT=${key}`)).toEqual([]);
    expect(wandbFindings(`"wandb_code_sha256": "${key}"`)).toEqual([]);
    expect(wandbFindings(`wandb.run.id = "${key}"`)).toEqual([]);
    expect(wandbFindings(`wandbCommitHash: ${key}`)).toEqual([]);
    expect(wandbFindings(`git checkout ${key}  # wandb`)).toEqual([]);
  });

  it('does not report a key from another line without a nesting parent', () => {
    expect(wandbFindings(`project: wandb-demo\nrevision: ${key}`)).toEqual([]);
  });
});
