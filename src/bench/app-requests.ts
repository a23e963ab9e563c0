/**
 * GitHub API requests per push: a small push with no findings, to the default branch and to another
 * branch, counted at the stand-in from the delivery until the server logged the scan (the installation
 * token request included). Cold: the first push after the process started (token and config fetched);
 * warm: a later push of the same kind.
 */
import type { AppStage } from './app-harness.js';
import type { SectionOutput } from './section.js';
import { renderTable } from './table.js';

/** The target: at most 5 requests for a small clean push, the installation token included. */
export const MAX_REQUESTS_PER_PUSH = 5;

interface Count {
  label: string;
  /** The target's name, for the cold pushes. */
  target?: string;
  total: number;
  byOperation: Map<string, number>;
}

async function countPush(
  stage: AppStage,
  label: string,
  target: string | undefined,
  repo: string,
  branch: string,
  file: string,
): Promise<Count> {
  const { sha, delivery } = stage.push(repo, branch, {
    [file]: `export const value = ${JSON.stringify(file)};\n`,
  });
  stage.github.clearRequests();
  const { status } = await stage.deliver(delivery);
  if (status !== 200) throw new Error(`push delivery answered ${status}`);
  await stage.scanned(sha);
  const byOperation = new Map<string, number>();
  for (const request of stage.github.requests) {
    const operation = request.operation ?? `${request.method} ${request.path}`;
    byOperation.set(operation, (byOperation.get(operation) ?? 0) + 1);
  }
  return { label, target, total: stage.github.requests.length, byOperation };
}

export async function requestsSection(stage: AppStage): Promise<SectionOutput> {
  const repo = stage.addRepo('requests', 5001);
  await stage.restart();
  const mainCold = await countPush(stage, 'main, cold', 'default branch', repo, 'main', 'src/a.ts');
  const mainWarm = await countPush(stage, 'main, warm', undefined, repo, 'main', 'src/b.ts');
  await stage.restart();
  const branchCold = await countPush(stage, 'new branch, cold', 'another branch', repo, 'topic', 'src/c.ts');
  const branchWarm = await countPush(stage, 'branch, warm', undefined, repo, 'topic', 'src/d.ts');
  const counts = [mainCold, mainWarm, branchCold, branchWarm];

  const operations = [...new Set(counts.flatMap((count) => [...count.byOperation.keys()]))].sort();
  const lines = [
    'a one-file push with no findings, counted at the stand-in from the delivery until the scan was logged; ' +
      'cold = the first push after the process started (installation token fetched), warm = a later push; ' +
      "'new branch' is the first push of a branch (compared with the default branch)",
    ...renderTable(
      ['operation', ...counts.map((count) => count.label)],
      [
        ...operations.map((operation) => [
          operation,
          ...counts.map((count) => String(count.byOperation.get(operation) ?? 0)),
        ]),
        ['total', ...counts.map((count) => String(count.total))],
      ],
    ),
  ];
  return {
    title: 'GitHub API requests per push',
    lines,
    targets: [mainCold, branchCold].map((count) => ({
      name: `API requests, small clean push to ${count.target} (cold, token incl.)`,
      actual: String(count.total),
      required: `<= ${MAX_REQUESTS_PER_PUSH}`,
      pass: count.total <= MAX_REQUESTS_PER_PUSH,
    })),
  };
}
