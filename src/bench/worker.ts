/**
 * Child-process entry for the benchmark: `index.ts` forks this module once per tool (and once for the
 * adversarial inputs), so each tool runs alone in its process and `process.resourceUsage().maxRSS` is
 * that tool's peak. Requests arrive one at a time over IPC and each gets one response. Only numbers,
 * locations and rule ids cross the process boundary.
 */
import { runAdversarial } from './adversarial.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';
import type { BenchTool, ToolName } from './tools/tool.js';

let tool: BenchTool | undefined;
let files: string[] = [];

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function load(name: ToolName): Promise<BenchTool> {
  const module = (await import(`./tools/${name}.js`)) as { createTool: () => Promise<BenchTool> };
  return module.createTool();
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  switch (request.kind) {
    case 'setup': {
      const start = performance.now();
      tool = await load(request.tool);
      files = request.files;
      return { kind: 'ready', setupMs: performance.now() - start };
    }
    case 'pass': {
      if (tool === undefined) throw new Error('pass before setup');
      collect();
      const start = performance.now();
      const result = await tool.pass(files);
      const ms = performance.now() - start;
      return {
        kind: 'pass',
        ms,
        ...(result.readMs === undefined ? {} : { readMs: result.readMs }),
        hits: result.hits,
      };
    }
    case 'finish':
      return { kind: 'finished', maxRssKiB: process.resourceUsage().maxRSS };
    case 'adversarial': {
      const result = await runAdversarial(request.dir);
      return { kind: 'adversarial', result, maxRssKiB: process.resourceUsage().maxRSS };
    }
  }
}

process.on('message', (request: WorkerRequest) => {
  handle(request)
    .catch((error: unknown): WorkerResponse => {
      // Only the error's name and the first line of its message: no stack frames with source text.
      const message =
        error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'unknown error';
      return { kind: 'error', message };
    })
    .then((response) => {
      const last =
        response.kind === 'finished' || response.kind === 'adversarial' || response.kind === 'error';
      process.send?.(response, () => {
        if (last) process.exit(0);
      });
    });
});
