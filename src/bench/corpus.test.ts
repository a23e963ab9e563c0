import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALPHABETS, fake } from '../rules/examples.js';
import type { Rule } from '../rules/types.js';
import { buildCorpus, insertPlants, type Plant, planPlants, selectFiles } from './corpus.js';

function plant(block: string, position: number, secretLine = 0): Plant {
  return { ruleId: 'test.kind', context: 0, block, secretLine, secret: 'unused', position };
}

function testRule(id: string): Rule {
  const value = (seed: string) => `zzq_${fake(seed, 24, ALPHABETS.alnum)}`;
  const secret = value(`${id}:example`);
  return {
    id,
    provider: 'test',
    title: 'Test key',
    class: 'model-api',
    severity: 'high',
    keywords: ['zzq_'],
    anchor: 'prefix',
    pattern: /(?<secret>zzq_[A-Za-z0-9]{24})/,
    sample: value,
    examples: () => ({
      positive: [
        { text: `no secret here: ${'a'.repeat(3)}`, secret },
        { text: `config:\n  key: ${secret}\n`, secret },
      ],
      negative: [],
    }),
  };
}

describe('insertPlants', () => {
  it('inserts blocks as whole lines and reports the new line of each secret', () => {
    const text = 'one\ntwo\nthree\n';

    const result = insertPlants(text, [plant('B1\nB2', 1, 1), plant('A', 0), plant('C', 1)]);

    expect(result.text).toBe('A\none\nB1\nB2\nC\ntwo\nthree\n');
    expect(result.lines).toEqual([4, 1, 5]);
  });

  it('wraps positions past the end onto existing lines', () => {
    const result = insertPlants('x\ny', [plant('K', 5)]);

    expect(result.text).toBe('x\nK\ny');
    expect(result.lines).toEqual([2]);
  });
});

describe('planPlants', () => {
  it('uses only examples that contain their secret and substitutes a fresh sample', () => {
    const rule = testRule('test.kind');
    const example = rule.examples().positive[1]!;

    const { plants, unplantable } = planPlants([rule], 2);

    expect(unplantable).toEqual([]);
    expect(plants.map((p) => p.context)).toEqual([1, 1]);
    expect(plants[0]!.block).toBe(`config:\n  key: ${rule.sample('keywarden-bench:0')}`);
    expect(plants[0]!.block).not.toContain(example.secret);
    expect(plants[0]!.secretLine).toBe(1);
    expect(plants[0]!.secret).not.toBe(plants[1]!.secret);
  });

  it('spreads plants round-robin over rules sorted by id', () => {
    const { plants } = planPlants([testRule('test.b'), testRule('test.a')], 3);

    expect(plants.map((p) => p.ruleId)).toEqual(['test.a', 'test.b', 'test.a']);
  });
});

describe('buildCorpus', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the selected files and plants each key at the recorded line', () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-bench-'));
    const source = join(dir, 'src');
    mkdirSync(join(source, 'pkg'), { recursive: true });
    for (let i = 0; i < 5; i++)
      writeFileSync(join(source, 'pkg', `f${i}.js`), `line a ${i}\nline b\nline c\n`);
    writeFileSync(join(source, 'pkg', 'skip.bin'), 'binary');

    const { corpus, secrets } = buildCorpus({
      source,
      target: join(dir, 'out'),
      minBytes: 100,
      maxFileBytes: 1000,
      plantCount: 3,
      rules: [testRule('test.kind')],
    });

    expect(corpus.files.map((file) => file.slice(dir.length))).toEqual(
      [0, 1, 2, 3, 4].map((i) => `/out/pkg/f${i}.js`),
    );
    expect(corpus.planted).toHaveLength(3);
    corpus.planted.forEach((key, i) => {
      const lines = readFileSync(corpus.files[key.file]!, 'utf8').split('\n');
      expect(lines[key.line - 1]).toContain(secrets[i]);
    });
  });
});

describe('selectFiles', () => {
  it('stops once the size is reached and returns paths sorted', () => {
    const files = ['/r/a.js', '/r/b.js', '/r/c.js', '/r/d.js'].map((path) => ({ path, size: 10 }));

    const chosen = selectFiles('/r', files, 25);

    expect(chosen).toHaveLength(3);
    expect(chosen).toEqual([...chosen].sort());
    expect(selectFiles('/r', files, 25)).toEqual(chosen);
  });

  it('leaves out files over the size cap', () => {
    const files = [
      { path: '/r/big.json', size: 500 },
      { path: '/r/a.js', size: 10 },
    ];

    expect(selectFiles('/r', files, 10, 100)).toEqual(['/r/a.js']);
  });

  it('throws when there is not enough source', () => {
    expect(() => selectFiles('/r', [{ path: '/r/a.js', size: 10 }], 11)).toThrow(/need 11/);
  });
});
