import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../rules/registry.js';
import { adapterFor, allAdapters } from './registry.js';

/** The adapter registry's contract: one folder per provider, each registered, documented and tested. */

const root = new URL('.', import.meta.url).pathname;
const folders = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('provider adapter registry', () => {
  it('registers exactly one adapter per provider folder, sorted', () => {
    expect(allAdapters.map((adapter) => adapter.provider)).toEqual(folders);
  });

  it.each(folders)('%s has a readme and a test beside its adapter', (folder) => {
    expect(existsSync(join(root, folder, 'readme.md'))).toBe(true);
    expect(existsSync(join(root, folder, `${folder}.test.ts`))).toBe(true);
  });

  it.each(allAdapters.map((adapter) => [adapter.provider, adapter] as const))(
    '%s names only rules of its own provider that exist',
    (provider, adapter) => {
      expect(adapter.rules.length).toBeGreaterThan(0);
      for (const ruleId of adapter.rules) {
        const rule = allRules.find((candidate) => candidate.id === ruleId);
        expect(rule, ruleId).toBeDefined();
        expect(rule!.provider).toBe(provider);
      }
    },
  );

  it('finds the adapter of a rule, and none for a rule no adapter understands', () => {
    expect(adapterFor('openai', 'openai.project-key')?.provider).toBe('openai');
    expect(adapterFor('openai', 'anthropic.api-key')).toBeUndefined();
    expect(adapterFor('cohere', 'cohere.api-key')).toBeUndefined();
  });

  it('gives every provider the issue names a verification, and revocation where the provider has an API', () => {
    const verifies = allAdapters.map((adapter) => adapter.provider);
    for (const provider of [
      'openai',
      'anthropic',
      'github',
      'google',
      'aws',
      'slack',
      'huggingface',
      'groq',
      'replicate',
      'xai',
      'openrouter',
      'pinecone',
      'langsmith',
      'nvidia',
    ]) {
      expect(verifies).toContain(provider);
    }
    const revokes = allAdapters.filter((adapter) => adapter.revoke).map((adapter) => adapter.provider);
    expect(revokes.sort()).toEqual(['anthropic', 'aws', 'github', 'google', 'openai', 'slack']);
    const usage = allAdapters.filter((adapter) => adapter.usage).map((adapter) => adapter.provider);
    expect(usage.sort()).toEqual(['anthropic', 'openai']);
  });
});
