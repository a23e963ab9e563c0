import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, validateConfig } from './load.js';
import { DEFAULT_CONFIG, type KeywardenConfig } from './schema.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/configs');

const DEFAULTS = {
  issues: { labels: [] },
  sla: { critical: '4h', high: '24h', medium: '7d', low: '30d' },
  revocation: 'off',
} as const satisfies Partial<KeywardenConfig>;

const VALID: Record<string, KeywardenConfig> = {
  'empty.yml': { paths: { ignore: [] }, rules: { disable: [] }, severityThreshold: 'high', ...DEFAULTS },
  'full.yml': {
    ...DEFAULTS,
    paths: { ignore: ['test/fixtures/**', '*.snap', 'docs/**/*.md'] },
    rules: { enable: ['openai', 'anthropic', 'huggingface.user-token'], disable: ['openai.legacy-key'] },
    severityThreshold: 'critical',
  },
  'remediation.yml': {
    ...DEFAULTS,
    paths: { ignore: ['vendor/**'] },
    rules: { disable: [] },
    severityThreshold: 'high',
    issues: { repository: 'acme/security', securityTeam: '@acme/appsec', labels: ['security'] },
    sla: { critical: '2h', high: '24h', medium: '7d', low: '30d' },
    revocation: 'dry-run',
  },
  'disable-only.yml': {
    ...DEFAULTS,
    paths: { ignore: [] },
    rules: { disable: ['aws', 'slack'] },
    severityThreshold: 'low',
  },
};

/** The `# expect: …` first line of an invalid fixture: text the error message must contain. */
function expectation(text: string): string {
  const first = text.split('\n')[0]!;
  expect(first.startsWith('# expect: ')).toBe(true);
  return first.slice('# expect: '.length);
}

describe('valid config fixtures', () => {
  const files = readdirSync(join(FIXTURES, 'valid'));

  it('has an expected value for every fixture', () => {
    expect(files.sort()).toEqual(Object.keys(VALID).sort());
  });

  it.each(files)('%s parses to the expected config', async (file) => {
    const config = await loadConfig(join(FIXTURES, 'valid', file));

    expect(config).toEqual(VALID[file]);
  });
});

describe('invalid config fixtures', () => {
  const files = readdirSync(join(FIXTURES, 'invalid'));

  it.each(files)('%s is refused with the field and the reason', async (file) => {
    const path = join(FIXTURES, 'invalid', file);
    const expected = expectation(readFileSync(path, 'utf8'));

    const error = await loadConfig(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(path);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });
});

describe('loadConfig', () => {
  it('reports a missing file as unreadable, naming it', async () => {
    const error = await loadConfig('/nonexistent/keywarden.yml').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).kind).toBe('unreadable');
    expect((error as ConfigError).message).toBe(
      'cannot read config file /nonexistent/keywarden.yml: no such file',
    );
  });
});

describe('parseConfig', () => {
  it('lists every bad field with its path', () => {
    const error = (() => {
      try {
        parseConfig('paths:\n  ignore: [1, "ok", 2]\nextra: true\n', 'x.yml');
      } catch (caught) {
        return caught as ConfigError;
      }
    })();

    expect(error?.kind).toBe('invalid');
    expect(error?.issues.map((issue) => issue.path)).toEqual(['paths.ignore[0]', 'paths.ignore[2]', 'extra']);
  });

  it('gives the line of a YAML syntax error', () => {
    const error = (() => {
      try {
        parseConfig('a: 1\na: 2\n', 'dup.yml');
      } catch (caught) {
        return caught as ConfigError;
      }
    })();

    expect(error?.kind).toBe('syntax');
    expect(error?.issues[0]?.path).toBe('line 2, column 1');
  });

  it('rejects an alias to an anchor that does not exist', () => {
    expect(() => parseConfig('paths: *nowhere\n', 'alias.yml')).toThrow(ConfigError);
  });
});

describe('validateConfig', () => {
  it('fills in defaults for an empty object', () => {
    expect(validateConfig({}, 'org/.github')).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.severityThreshold).toBe('high');
  });
});
