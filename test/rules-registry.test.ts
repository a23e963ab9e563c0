import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { families } from '../src/rules/registry.js';

const RULES_DIR = join(import.meta.dirname, '..', 'src', 'rules');

const folders = readdirSync(RULES_DIR)
  .filter((name) => statSync(join(RULES_DIR, name)).isDirectory())
  .sort();

describe('rule registry', () => {
  it('registers every rule folder, and nothing else', () => {
    expect(families.map((family) => family.id).sort()).toEqual(folders);
  });

  it('lists families sorted by id', () => {
    const ids = families.map((family) => family.id);
    expect(ids).toEqual([...ids].sort());
  });

  it.each(folders)('%s has a readme, an index and a colocated test', (folder) => {
    expect(existsSync(join(RULES_DIR, folder, 'readme.md'))).toBe(true);
    expect(existsSync(join(RULES_DIR, folder, 'index.ts'))).toBe(true);
    expect(readdirSync(join(RULES_DIR, folder)).some((file) => file.endsWith('.test.ts'))).toBe(true);
  });

  it.each(families.map((family) => [family.id, family] as const))(
    '%s has rules of its own provider',
    (_id, family) => {
      expect(family.rules.length).toBeGreaterThan(0);
      for (const rule of family.rules) {
        expect(rule.provider).toBe(family.id);
        expect(rule.id.startsWith(`${family.id}.`)).toBe(true);
      }
    },
  );
});
