import { notFound, paginate, type Route, wantsMedia } from '../http.js';
import { pullChanges, pullRequestJson } from '../pull-request.js';
import { diffText, fileJson } from '../shapes.js';
import { rawType } from './contents.js';

/** `GET /repos/{owner}/{repo}/pulls/{pull_number}` (JSON, or the diff with `application/vnd.github.diff`). */
export const getPull: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/pulls/{pull_number}',
  operation: 'pulls/get',
  access: 'repo',
  handle(context, repo) {
    const pull = repo!.pulls.get(Number(context.params.pull_number));
    if (!pull) return notFound();
    if (wantsMedia(context, 'diff')) {
      const { changes } = pullChanges(context.state, repo!, pull);
      return { status: 200, text: diffText(changes), contentType: rawType(context, 'diff') };
    }
    return { status: 200, body: pullRequestJson(context.state, repo!, pull) };
  },
};

/** `GET /repos/{owner}/{repo}/pulls/{pull_number}/files`: 30 per page by default, 3000 at most. */
export const listPullFiles: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/pulls/{pull_number}/files',
  operation: 'pulls/list-files',
  access: 'repo',
  handle(context, repo) {
    const pull = repo!.pulls.get(Number(context.params.pull_number));
    if (!pull) return notFound();
    const { headSha, changes } = pullChanges(context.state, repo!, pull);
    const page = paginate(context, changes);
    return {
      status: 200,
      body: page.items.map((change) => fileJson(context.state, repo!, change, headSha)),
      headers: page.headers,
    };
  },
};
