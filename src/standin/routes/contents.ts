import { createHash } from 'node:crypto';
import {
  errorReply,
  githubBase64,
  notFound,
  type Reply,
  type Route,
  type RouteContext,
  wantsMedia,
} from '../http.js';
import { contentEntryJson, contentFileJson } from '../shapes.js';
import type { RepoState } from '../state.js';

/** The raw media type as the client spelled it, echoed back like GitHub does. */
export function rawType(context: RouteContext, format: 'raw' | 'diff'): string {
  const v3 = String(context.headers.accept ?? '').includes(`.v3.${format}`);
  return `application/vnd.github${v3 ? '.v3' : ''}.${format}; charset=utf-8`;
}

/** The commit a `ref` query names (default branch when absent), or GitHub's 404 reply. */
export function commitAt(repo: RepoState, ref: string | undefined): { sha: string } | Reply {
  const name = ref ?? repo.repo.defaultBranch;
  const sha = repo.git.resolve(name, repo.repo.defaultBranch);
  if (!sha) return errorReply(404, `No commit found for the ref ${name}`);
  return { sha };
}

function getContent(context: RouteContext, repo: RepoState, path: string): Reply {
  const at = commitAt(repo, context.query.ref);
  if ('status' in at) return at;
  const ref = context.query.ref ?? repo.repo.defaultBranch;
  const tree = repo.git.get(at.sha).tree;
  const blob = tree.get(path);
  if (blob !== undefined) {
    const content = repo.git.blobs.get(blob)!;
    if (wantsMedia(context, 'raw')) {
      return {
        status: 200,
        text: content,
        contentType: rawType(context, 'raw'),
        headers: { 'x-github-media-type': 'github.v3; param=raw' },
      };
    }
    return { status: 200, body: contentFileJson(context.state, repo, path, blob, content, ref) };
  }
  const prefix = path === '' ? '' : `${path}/`;
  const entries = new Map<string, { path: string; type: 'file' | 'dir'; sha: string; size: number }>();
  for (const [file, sha] of tree) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash === -1) {
      entries.set(rest, { path: file, type: 'file', sha, size: Buffer.byteLength(repo.git.blobs.get(sha)!) });
    } else {
      const dir = prefix + rest.slice(0, slash);
      if (!entries.has(rest.slice(0, slash)))
        entries.set(rest.slice(0, slash), { path: dir, type: 'dir', sha: treeSha(at.sha, dir), size: 0 });
    }
  }
  if (entries.size === 0) return notFound();
  const sorted = [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  return { status: 200, body: sorted.map((entry) => contentEntryJson(context.state, repo, entry, ref)) };
}

/** A stable id for a directory at a commit (the stand-in keeps flat trees). */
function treeSha(commit: string, dir: string): string {
  return createHash('sha1').update(`${commit}:${dir}`).digest('hex');
}

/** `GET /repos/{owner}/{repo}/contents/{path}`: a file (JSON with base64, or raw) or a directory listing. */
export const getRepoContent: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/contents/{path+}',
  operation: 'repos/get-content',
  access: 'repo',
  handle: (context, repo) => getContent(context, repo!, context.params.path!.replace(/\/$/, '')),
};

/** `GET /repos/{owner}/{repo}/contents`: the root directory. */
export const getRepoRootContent: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/contents',
  operation: 'repos/get-content',
  access: 'repo',
  handle: (context, repo) => getContent(context, repo!, ''),
};

/** `GET /repos/{owner}/{repo}/git/blobs/{file_sha}`: a blob, base64 (or raw). */
export const getBlob: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
  operation: 'git/get-blob',
  access: 'repo',
  handle(context, repo) {
    const sha = context.params.file_sha!;
    const content = repo!.git.blobs.get(sha);
    if (content === undefined) return notFound();
    if (wantsMedia(context, 'raw'))
      return { status: 200, text: content, contentType: rawType(context, 'raw') };
    return {
      status: 200,
      body: {
        sha,
        node_id: Buffer.from(`04:Blob${repo!.repo.id}:${sha}`).toString('base64'),
        size: Buffer.byteLength(content),
        url: `${context.state.api}/repos/${repo!.fullName}/git/blobs/${sha}`,
        content: githubBase64(content),
        encoding: 'base64',
      },
    };
  },
};
