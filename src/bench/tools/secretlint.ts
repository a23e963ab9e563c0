/**
 * secretlint 13 with `@secretlint/secretlint-rule-preset-recommend`, through its Node API
 * (`@secretlint/node` `createEngine` + `executeOnFiles`, which reads the files itself). The output goes
 * through `secretlint-formatter.ts`, so only locations and rule ids ever leave secretlint.
 */
import { fileURLToPath } from 'node:url';
import { createEngine } from '@secretlint/node';
import type { LocationsOutput } from './secretlint-formatter.js';
import type { BenchTool, PassResult, ToolHit } from './tool.js';

const FORMATTER = fileURLToPath(new URL('./secretlint-formatter.js', import.meta.url));

/** Builds the tool; the config and the preset's rules are loaded here, outside the measured passes. */
export async function createTool(): Promise<BenchTool> {
  const engine = await createEngine({
    cwd: process.cwd(),
    formatter: FORMATTER,
    color: false,
    maskSecrets: true,
    configFileJSON: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] },
  });
  return {
    async pass(files: readonly string[]): Promise<PassResult> {
      const indexOf = new Map(files.map((path, index) => [path, index]));
      const { output } = await engine.executeOnFiles({ filePathList: [...files] });
      const hits: ToolHit[] = [];
      for (const [path, messages] of JSON.parse(output) as LocationsOutput) {
        const index = indexOf.get(path);
        if (index === undefined) continue;
        for (const [line, ruleId] of messages) hits.push([index, line, ruleId]);
      }
      return { hits };
    },
  };
}
