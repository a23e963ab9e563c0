import type { StandinCheckRun, StandinComment, StandinIssue } from '../standin/index.js';

/** What the demo prints: plain text, indented, each part cut to what a reader takes in at a glance. */

const INDENT = '    ';

/** A numbered step heading. */
export function heading(step: number, title: string): string {
  return `\n${step}. ${title}`;
}

/** `text` indented, each line prefixed by `mark` (a quote bar for text written on GitHub). */
export function block(text: string, mark = ''): string {
  return text
    .split('\n')
    .map((line) => `${INDENT}${mark}${line}`.trimEnd())
    .join('\n');
}

/** The first `max` lines of a Markdown text that carry something (no blank runs, no HTML comments). */
export function excerpt(markdown: string, max: number): string {
  const lines: string[] = [];
  let blank = true;
  for (const line of markdown.split('\n')) {
    if (/^\s*<!--.*-->\s*$/.test(line)) continue;
    const empty = line.trim() === '';
    if (empty && blank) continue;
    blank = empty;
    lines.push(line);
  }
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length <= max) return lines.join('\n');
  return [...lines.slice(0, max), `… (${lines.length - max} more lines)`].join('\n');
}

/** A check run: conclusion and title, every annotation, and the start of the summary. */
export function renderCheckRun(run: StandinCheckRun): string {
  const out = [
    `${INDENT}${run.name}: ${run.status}, conclusion ${run.conclusion ?? 'none'} — ${run.output.title ?? ''}`,
  ];
  for (const raw of run.output.annotations) {
    const annotation = raw as {
      path: string;
      start_line: number;
      annotation_level: string;
      title?: string;
      message: string;
    };
    const where = `${annotation.path}:${annotation.start_line}`;
    out.push(
      `${INDENT}annotation ${where} [${annotation.annotation_level}] ${annotation.title ?? ''}`.trimEnd(),
    );
    out.push(block(excerpt(annotation.message, 3), `${INDENT}  `));
  }
  out.push(`${INDENT}summary:`, block(excerpt(run.output.summary ?? '', 12), '│ '));
  return out.join('\n');
}

/** An issue: number and title, state, labels, assignees, and the start of its body. */
export function renderIssue(repo: string, issue: StandinIssue, bodyLines: number): string {
  const assignees =
    issue.assignees.length > 0 ? issue.assignees.map((login) => `@${login}`).join(' ') : '(none)';
  return [
    `${INDENT}${repo}#${issue.number} "${issue.title}" (${issue.state}${issue.stateReason ? `, ${issue.stateReason}` : ''}, opened by ${issue.author})`,
    `${INDENT}labels:    ${issue.labels.join(', ') || '(none)'}`,
    `${INDENT}assignees: ${assignees}`,
    `${INDENT}body:`,
    block(excerpt(issue.body ?? '', bodyLines), '│ '),
  ].join('\n');
}

/** A comment as it shows on the issue. */
export function renderComment(comment: StandinComment, maxLines = 14): string {
  return [`${INDENT}@${comment.author} commented:`, block(excerpt(comment.body, maxLines), '│ ')].join('\n');
}
