import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SARIF_FINGERPRINT_KEY, SARIF_SCHEMA } from '../src/cli/format-sarif.js';
import { allRules } from '../src/rules/registry.js';
import { makeTempDir, type PlantedKey, plantableKeys, removeAll, runCli, writeTree } from './cli-harness.js';

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the plugin.
const addFormats = ajvFormats.default;

/**
 * The official SARIF 2.1.0 schema (test/schemas/README.md says where it comes from). It is written for
 * JSON Schema draft-04, whose `id` ajv 8 reads as `$id`; every keyword it uses means the same in the
 * draft ajv runs.
 */
function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, 'schemas/sarif-schema-2.1.0.json'), 'utf8'),
  );
  const { id, $schema: _draft, ...rest } = schema as { id: string; $schema: string };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ $id: id, ...rest });
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: Array<{
          id: string;
          name: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string; markdown: string };
          properties: { 'security-severity': string; tags: string[] };
        }>;
      };
    };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string };
          region: { startLine: number; startColumn: number };
        };
      }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
}

const made: string[] = [];
afterEach(() => removeAll(made));

let validate: ValidateFunction;
let a: PlantedKey;
let b: PlantedKey;
beforeAll(() => {
  validate = sarifValidator();
  [a, b] = plantableKeys('sarif-test') as [PlantedKey, PlantedKey];
  expect(b).toBeDefined();
});

async function sarifOf(
  files: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; log: SarifLog }> {
  const root = await makeTempDir(made);
  await writeTree(root, files);
  const run = await runCli(['scan', '--format', 'sarif', ...args], { cwd: root });
  expect(run.stderr).toBe('');
  return { code: run.code, log: JSON.parse(run.stdout) as SarifLog };
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema, with findings and without', async () => {
    const found = await sarifOf({ '.env': `KEY=${a.secret}\n`, 'src/b.ts': `const k = "${b.secret}";\n` });
    const clean = await sarifOf({ 'a.txt': 'nothing\n' });

    expect(found.code).toBe(1);
    expect(clean.code).toBe(0);
    expect(validate(found.log), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(clean.log), JSON.stringify(validate.errors)).toBe(true);
    expect(found.log.runs[0]!.results).toHaveLength(2);
    expect(clean.log.runs[0]!.results).toEqual([]);
  });

  it('fails validation on invalid SARIF', async () => {
    const { log } = await sarifOf({ '.env': `KEY=${a.secret}\n` });
    const broken: Array<(copy: SarifLog) => void> = [
      (copy) => {
        copy.version = '2.0.0';
      },
      (copy) => {
        copy.runs[0]!.results[0]!.level = 'fatal';
      },
      (copy) => {
        copy.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
      },
      (copy) => {
        delete (copy.runs[0]!.tool.driver as { name?: string }).name;
      },
      (copy) => {
        (copy.runs[0]!.results[0] as unknown as Record<string, unknown>)['secret'] = 'not a SARIF property';
      },
      (copy) => {
        copy.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'my docs/a b.env';
      },
    ];

    const outcomes = broken.map((mutate) => {
      const copy = structuredClone(log);
      mutate(copy);
      return validate(copy);
    });

    expect(outcomes).toEqual([false, false, false, false, false, false]);
  });

  it('has what GitHub code scanning reads: rules, levels, relative URIs and fingerprints', async () => {
    const { log } = await sarifOf({ 'config/.env': `# x\nKEY=${a.secret}\n` });
    const json = await runCli(['scan', '-f', 'json'], { cwd: made[made.length - 1]! });
    const finding = (JSON.parse(json.stdout) as { findings: Array<Record<string, string | number>> })
      .findings[0]!;

    const run = log.runs[0]!;
    const result = run.results[0]!;
    const rule = run.tool.driver.rules[result.ruleIndex]!;
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(run.tool.driver.name).toBe('keywarden');
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(allRules.map((r) => r.id));
    expect(rule.id).toBe(a.rule.id);
    expect(result.ruleId).toBe(a.rule.id);
    expect(rule.shortDescription.text).toContain(a.rule.title);
    expect(rule.help.markdown).toContain('keywarden:allow');
    expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    expect(rule.properties.tags).toEqual([
      'security',
      'secret',
      `class/${a.rule.class}`,
      `provider/${a.rule.provider}`,
    ]);
    expect(result.level).toBe(
      a.rule.severity === 'medium' ? 'warning' : a.rule.severity === 'low' ? 'note' : 'error',
    );
    expect(result.message.text).toContain(String(finding['redacted']));
    expect(result.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'config/.env', uriBaseId: '%SRCROOT%' },
          region: { startLine: 2, startColumn: 5 },
        },
      },
    ]);
    expect(result.partialFingerprints).toEqual({ [SARIF_FINGERPRINT_KEY]: finding['fingerprint'] });
  });

  it('percent-encodes paths into valid relative URIs', async () => {
    const { log } = await sarifOf({ 'my docs/notes #1.md': `KEY=${a.secret}\n` });

    const location = log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(location.uri).toBe('my%20docs/notes%20%231.md');
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it('lists only the rules the config leaves on', async () => {
    const { log } = await sarifOf(
      { 'kw.yml': `rules:\n  enable: [${a.rule.provider}]\n`, '.env': `KEY=${a.secret}\n` },
      ['-c', 'kw.yml'],
    );

    const ids = log.runs[0]!.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual(allRules.filter((r) => r.provider === a.rule.provider).map((r) => r.id));
    expect(validate(log)).toBe(true);
  });
});
