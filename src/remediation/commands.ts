/**
 * Remediation commands in issue comments: `/keywarden <command> [reason…]`.
 *
 * The first line of a comment that starts with `/keywarden` (any case, leading spaces allowed, outside
 * fenced code blocks, not in a quote) is the command; the rest of the comment is ignored. The command word
 * is case-insensitive; everything after it on the line is the reason.
 */

/** Every command, in the order `help` lists them. */
export const COMMAND_NAMES = [
  'confirm',
  'false-positive',
  'test-credential',
  'revoke',
  'rotated',
  'status',
  'help',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands that change the credential (the others only answer). */
export const STATE_COMMANDS: readonly CommandName[] = [
  'confirm',
  'false-positive',
  'test-credential',
  'revoke',
  'rotated',
];

/** Commands that cannot run without a reason. */
const NEEDS_REASON: readonly CommandName[] = ['false-positive', 'test-credential'];

/** What each command does, for `help`. */
export const COMMAND_HELP: Readonly<Record<CommandName, { usage: string; does: string }>> = {
  confirm: { usage: '/keywarden confirm', does: 'this is a real credential: it must be revoked and rotated' },
  'false-positive': {
    usage: '/keywarden false-positive <reason>',
    does: 'not a credential; closes the issue and stops reporting it in the repositories it was found in',
  },
  'test-credential': {
    usage: '/keywarden test-credential <reason>',
    does: 'a test credential that opens nothing; closes the issue and stops reporting it',
  },
  revoke: {
    usage: '/keywarden revoke',
    does: "revoke the key at the provider (after `confirm`): through its API when the repository's `revocation` policy allows, else the steps to do it by hand",
  },
  rotated: {
    usage: '/keywarden rotated',
    does: 'the key is revoked and a new one is in use (after `revoke`); closes the issue',
  },
  status: {
    usage: '/keywarden status',
    does: 'the state, the number of places it was found and the deadline',
  },
  help: { usage: '/keywarden help', does: 'this list' },
};

/** The longest reason kept (the rest of the line is cut). */
export const MAX_REASON_LENGTH = 500;

const PREFIX = '/keywarden';

/** A command as written: its name and the reason (the rest of the line), if any. */
export interface Command {
  name: CommandName;
  reason?: string;
}

export type ParsedComment =
  | { kind: 'none' }
  | { kind: 'command'; command: Command }
  | { kind: 'unknown'; word: string }
  | { kind: 'missing-reason'; name: CommandName };

/** The first `/keywarden …` line of a comment body (without the prefix), or `undefined`. */
function commandLine(body: string): string | undefined {
  let fence: string | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trimStart();
    const marker = line.startsWith('```') ? '```' : line.startsWith('~~~') ? '~~~' : undefined;
    if (marker) {
      if (fence === undefined) fence = marker;
      else if (fence === marker) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    if (line.slice(0, PREFIX.length).toLowerCase() !== PREFIX) continue;
    const rest = line.slice(PREFIX.length);
    if (rest !== '' && !/^\s/.test(rest)) continue;
    return rest.trim();
  }
  return undefined;
}

/** Whether a comment holds a `/keywarden` command line at all (the webhook edge's cheap filter). */
export function hasCommand(body: string | null | undefined): boolean {
  return body ? commandLine(body) !== undefined : false;
}

function isCommandName(word: string): word is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(word);
}

/**
 * Parses a comment body.
 *
 * @example
 * parseComment('Checked it.\n/keywarden False-Positive sample data in the docs')
 * // → { kind: 'command', command: { name: 'false-positive', reason: 'sample data in the docs' } }
 * parseComment('/keywarden') // → { kind: 'unknown', word: '' }
 */
export function parseComment(body: string): ParsedComment {
  const line = commandLine(body);
  if (line === undefined) return { kind: 'none' };
  const space = line.search(/\s/);
  const word = (space === -1 ? line : line.slice(0, space)).toLowerCase();
  const reason = space === -1 ? '' : line.slice(space).trim().slice(0, MAX_REASON_LENGTH);
  if (!isCommandName(word)) return { kind: 'unknown', word };
  if (reason === '' && NEEDS_REASON.includes(word)) return { kind: 'missing-reason', name: word };
  return { kind: 'command', command: reason === '' ? { name: word } : { name: word, reason } };
}

/** The command list as Markdown, for `help` and for unknown commands. */
export function helpText(): string {
  const rows = COMMAND_NAMES.map(
    (name) => `| \`${COMMAND_HELP[name].usage}\` | ${COMMAND_HELP[name].does} |`,
  );
  return ['| Command | What it does |', '| --- | --- |', ...rows].join('\n');
}
