import { compileTemplate, type Route } from '../http.js';
import { createInstallationToken, getRepoInstallation } from './apps.js';
import {
  createCheckRun,
  getCheckRun,
  listCheckRunAnnotations,
  listCheckRunsForRef,
  updateCheckRun,
} from './checks.js';
import { createIssueComment, getIssueComment, listIssueComments, updateIssueComment } from './comments.js';
import { compareCommits, getCommit } from './commits.js';
import { getBlob, getRepoContent, getRepoRootContent } from './contents.js';
import { listAppInstallations } from './installations.js';
import { createIssue, getIssue, listIssues, updateIssue } from './issues.js';
import {
  addIssueLabels,
  createLabel,
  getLabel,
  listIssueLabels,
  listLabels,
  removeAllIssueLabels,
  removeIssueLabel,
  setIssueLabels,
  updateLabel,
} from './labels.js';
import {
  addAssignees,
  checkAssignee,
  checkCollaborator,
  getCollaboratorPermission,
  getTeamMembership,
  listCollaborators,
  listTeamMembers,
  removeAssignees,
} from './people.js';
import { getPull, listPullFiles } from './pulls.js';
import { getRepo, listCommits } from './repos.js';
import {
  getSecretScanningAlert,
  listOrgSecretScanningAlerts,
  listSecretScanningAlertLocations,
  updateSecretScanningAlert,
} from './secret-scanning.js';

/** Every route the stand-in serves; a template matches whole paths, so order only breaks ties. */
const ROUTES: readonly Route[] = [
  createInstallationToken,
  getRepoInstallation,
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
  createIssue,
  getIssue,
  updateIssue,
  listIssues,
  createIssueComment,
  listIssueComments,
  getIssueComment,
  updateIssueComment,
  addIssueLabels,
  setIssueLabels,
  removeIssueLabel,
  removeAllIssueLabels,
  listIssueLabels,
  createLabel,
  getLabel,
  updateLabel,
  listLabels,
  checkAssignee,
  addAssignees,
  removeAssignees,
  getCollaboratorPermission,
  listCollaborators,
  checkCollaborator,
  listTeamMembers,
  getTeamMembership,
  listAppInstallations,
  listOrgSecretScanningAlerts,
  getSecretScanningAlert,
  updateSecretScanningAlert,
  listSecretScanningAlertLocations,
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
