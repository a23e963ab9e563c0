import { compileTemplate, type Route } from '../http.js';
import { createInstallationToken } from './apps.js';
import {
  createCheckRun,
  getCheckRun,
  listCheckRunAnnotations,
  listCheckRunsForRef,
  updateCheckRun,
} from './checks.js';
import { compareCommits, getCommit } from './commits.js';
import { getBlob, getRepoContent, getRepoRootContent } from './contents.js';
import { getPull, listPullFiles } from './pulls.js';
import { getRepo, listCommits } from './repos.js';

/** Every route the stand-in serves; a template matches whole paths, so order only breaks ties. */
const ROUTES: readonly Route[] = [
  createInstallationToken,
  getRepo,
  listCommits,
  getRepoRootContent,
  getRepoContent,
  getBlob,
  compareCommits,
  listCheckRunsForRef,
  getCommit,
  getPull,
  listPullFiles,
  createCheckRun,
  updateCheckRun,
  getCheckRun,
  listCheckRunAnnotations,
];

const COMPILED = ROUTES.map((route) => ({ route, ...compileTemplate(route.template) }));

/** The route for a method and a path (without `/api/v3`), with its decoded parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const { route, pattern, names } of COMPILED) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = safeDecode(match[i + 1]!);
    });
    return { route, params };
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
