/**
 * The GitHub App benchmarks, on one stage (a stand-in GitHub and one `keywarden serve` process on
 * PGlite): API requests per push, push to check run for a 1 MB diff, webhook acknowledgement latency.
 * Run in that order: the latency run leaves a backlog of scan jobs behind it.
 */
import { join } from 'node:path';
import { startAppStage } from './app-harness.js';
import { latencySection } from './app-latency.js';
import { pushTimeSection } from './app-push-time.js';
import { requestsSection } from './app-requests.js';
import type { SectionOutput } from './section.js';

export async function appSections(project: string, log: (line: string) => void): Promise<SectionOutput[]> {
  const stage = await startAppStage(project, join(project, '.bench/app'));
  try {
    log('  API requests per push …');
    const requests = await requestsSection(stage);
    log('  push to check run, 1 MB diff …');
    const pushTime = await pushTimeSection(stage, project);
    log('  webhook acknowledgement latency …');
    const latency = await latencySection(stage);
    return [latency, pushTime, requests];
  } finally {
    await stage.stop();
  }
}
