import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { ownerKind, ownersFor, parseCodeowners, patternMatches } from './codeowners.js';

/**
 * The example CODEOWNERS file of GitHub's "About code owners" (docs.github.com, repositories > customizing
 * your repository), re-typed with its comments shortened. Each block's documented meaning is a table
 * row below, with the sentence it comes from.
 */
const DOCUMENTED_EXAMPLE = [
  '# This is a comment.',
  '# Each line is a file pattern followed by one or more owners.',
  '',
  '*       @global-owner1 @global-owner2',
  '*.js    @js-owner #This is an inline comment.',
  '*.go docs@example.com',
  '*.txt @octo-org/octocats',
  '/build/logs/ @doctocat',
  'docs/*  docs@example.com',
  'apps/ @octocat',
  '/docs/ @doctocat',
  '/scripts/ @doctocat @octocat',
  '**/logs @octocat',
  '/apps/ @octocat',
  '/apps/github',
  '/apps/ @octocat',
  '/apps/github @doctocat',
  '',
].join('\n');

interface Row {
  /** The documented sentence this row checks. */
  says: string;
  file: string;
  path: string;
  owners: string[];
}

const GLOBAL = ['@global-owner1', '@global-owner2'];

/** Each documented example on its own (with the lines it is documented together with). */
const DOCUMENTED_ROWS: Row[] = [
  {
    says: 'default owners for everything',
    file: '* @global-owner1 @global-owner2',
    path: 'README.md',
    owners: GLOBAL,
  },
  {
    says: 'default owners for everything',
    file: '* @global-owner1 @global-owner2',
    path: 'src/a/b/c.ts',
    owners: GLOBAL,
  },
  {
    says: 'only @js-owner and not the global owner(s) for JS files',
    file: '* @global-owner1 @global-owner2\n*.js @js-owner',
    path: 'src/app.js',
    owners: ['@js-owner'],
  },
  {
    says: 'the global owners for everything else',
    file: '* @global-owner1 @global-owner2\n*.js @js-owner',
    path: 'src/app.ts',
    owners: GLOBAL,
  },
  {
    says: 'an inline comment is not an owner',
    file: '*.js    @js-owner #This is an inline comment.',
    path: 'index.js',
    owners: ['@js-owner'],
  },
  {
    says: 'email addresses as owners',
    file: '*.go docs@example.com',
    path: 'cmd/main.go',
    owners: ['docs@example.com'],
  },
  {
    says: 'the octocats team owns all .txt files',
    file: '*.txt @octo-org/octocats',
    path: 'notes/todo.txt',
    owners: ['@octo-org/octocats'],
  },
  {
    says: '/build/logs/: any files in the build/logs directory at the root',
    file: '/build/logs/ @doctocat',
    path: 'build/logs/out.log',
    owners: ['@doctocat'],
  },
  {
    says: '/build/logs/: and any of its subdirectories',
    file: '/build/logs/ @doctocat',
    path: 'build/logs/2024/01/out.log',
    owners: ['@doctocat'],
  },
  {
    says: '/build/logs/: at the root of the repository only',
    file: '/build/logs/ @doctocat',
    path: 'src/build/logs/out.log',
    owners: [],
  },
  {
    says: 'docs/* matches docs/getting-started.md',
    file: 'docs/*  docs@example.com',
    path: 'docs/getting-started.md',
    owners: ['docs@example.com'],
  },
  {
    says: 'docs/* does not match further nested files',
    file: 'docs/*  docs@example.com',
    path: 'docs/build-app/troubleshooting.md',
    owners: [],
  },
  {
    says: 'apps/: any file in an apps directory',
    file: 'apps/ @octocat',
    path: 'apps/web/index.ts',
    owners: ['@octocat'],
  },
  {
    says: 'apps/: anywhere in your repository',
    file: 'apps/ @octocat',
    path: 'services/apps/api/main.go',
    owners: ['@octocat'],
  },
  { says: 'apps/: a directory, not a file named apps', file: 'apps/ @octocat', path: 'bin/apps', owners: [] },
  {
    says: '/docs/: any file in the /docs directory in the root',
    file: '/docs/ @doctocat',
    path: 'docs/index.md',
    owners: ['@doctocat'],
  },
  {
    says: '/docs/: and any of its subdirectories',
    file: '/docs/ @doctocat',
    path: 'docs/build-app/troubleshooting.md',
    owners: ['@doctocat'],
  },
  { says: '/docs/: in the root only', file: '/docs/ @doctocat', path: 'packages/docs/index.md', owners: [] },
  {
    says: '/scripts/: approval from @doctocat or @octocat',
    file: '/scripts/ @doctocat @octocat',
    path: 'scripts/deploy.sh',
    owners: ['@doctocat', '@octocat'],
  },
  {
    says: '**/logs: /build/logs',
    file: '**/logs @octocat',
    path: 'build/logs/out.log',
    owners: ['@octocat'],
  },
  {
    says: '**/logs: /scripts/logs',
    file: '**/logs @octocat',
    path: 'scripts/logs/run.log',
    owners: ['@octocat'],
  },
  {
    says: '**/logs: /deeply/nested/logs',
    file: '**/logs @octocat',
    path: 'deeply/nested/logs/a/b.log',
    owners: ['@octocat'],
  },
  {
    says: '**/logs: a logs directory at the root too',
    file: '**/logs @octocat',
    path: 'logs/x.log',
    owners: ['@octocat'],
  },
  {
    says: '/apps/ @octocat: any file in /apps',
    file: '/apps/ @octocat\n/apps/github',
    path: 'apps/web/index.ts',
    owners: ['@octocat'],
  },
  {
    says: '/apps/github with no owners: except /apps/github, its owners left empty',
    file: '/apps/ @octocat\n/apps/github',
    path: 'apps/github/index.ts',
    owners: [],
  },
  {
    says: '/apps/github @doctocat: the subdirectory has its own owner',
    file: '/apps/ @octocat\n/apps/github @doctocat',
    path: 'apps/github/index.ts',
    owners: ['@doctocat'],
  },
  {
    says: '/apps/github @doctocat: the rest of /apps stays with @octocat',
    file: '/apps/ @octocat\n/apps/github @doctocat',
    path: 'apps/web/index.ts',
    owners: ['@octocat'],
  },
  {
    says: 'CODEOWNERS paths are case sensitive',
    file: '/docs/ @doctocat',
    path: 'Docs/index.md',
    owners: [],
  },
  { says: 'CODEOWNERS paths are case sensitive', file: '*.JS @js-owner', path: 'app.js', owners: [] },
];

/** The whole documented file: the last matching pattern takes the most precedence. */
const WHOLE_FILE_ROWS: Array<[path: string, owners: string[]]> = [
  ['README.md', GLOBAL],
  ['src/index.js', ['@js-owner']],
  ['main.go', ['docs@example.com']],
  ['notes.txt', ['@octo-org/octocats']],
  // `/build/logs/` matches, but `**/logs` comes later.
  ['build/logs/app.js', ['@octocat']],
  // `docs/*` matches, but `/docs/` comes later.
  ['docs/getting-started.md', ['@doctocat']],
  ['docs/build-app/troubleshooting.md', ['@doctocat']],
  ['scripts/deploy.sh', ['@doctocat', '@octocat']],
  ['deeply/nested/logs/trace.txt', ['@octocat']],
  ['src/apps/util.js', ['@octocat']],
  // The last `/apps/github` line has an owner, so it wins over the earlier empty one.
  ['apps/github/index.js', ['@doctocat']],
  ['apps/web/index.js', ['@octocat']],
];

describe("GitHub's documented CODEOWNERS example", () => {
  it.each(DOCUMENTED_ROWS)('$says: $path', ({ file, path, owners }) => {
    const { rules, errors } = parseCodeowners(file);

    expect(errors).toEqual([]);
    expect(ownersFor(rules, path)).toEqual(owners);
  });

  it('parses the whole example without errors, one rule per pattern line', () => {
    const { rules, errors } = parseCodeowners(DOCUMENTED_EXAMPLE);

    expect(errors).toEqual([]);
    expect(rules.map((r) => r.line)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(rules[1]).toEqual({ pattern: '*.js', owners: ['@js-owner'], line: 5 });
    expect(rules[11]).toEqual({ pattern: '/apps/github', owners: [], line: 15 });
  });

  it.each(WHOLE_FILE_ROWS)('the last matching pattern wins in the whole file: %s', (path, owners) => {
    const { rules } = parseCodeowners(DOCUMENTED_EXAMPLE);

    expect(ownersFor(rules, path)).toEqual(owners);
  });
});

describe('syntax GitHub does not support is reported, not fatal', () => {
  it.each([
    ['!docs/ @octocat', 'negation (!) is not supported in CODEOWNERS: !docs/'],
    ['*.[jt]s @js-owner', 'character ranges ([ ]) are not supported in CODEOWNERS: *.[jt]s'],
    ['\\#notes.md @octocat', 'escaping a leading # is not supported in CODEOWNERS: \\#notes.md'],
    ['docs/*** @octocat', 'three consecutive asterisks are not a valid pattern: docs/***'],
    ['*.js js-owner', 'invalid owner js-owner: expected @user, @org/team or an email address'],
    ['*.js @js-owner @', 'invalid owner @: expected @user, @org/team or an email address'],
    ['*.js @org/team/extra', 'invalid owner @org/team/extra: expected @user, @org/team or an email address'],
    ['*.js docs@localhost', 'invalid owner docs@localhost: expected @user, @org/team or an email address'],
  ])('%s', (line, message) => {
    const { rules, errors } = parseCodeowners(`* @global-owner1\n${line}\n*.md @doc-owner\n`);

    expect(errors).toEqual([{ line: 2, message }]);
    expect(rules.map((r) => r.pattern)).toEqual(['*', '*.md']);
    // The skipped line does not take part in matching.
    expect(ownersFor(rules, 'docs/a.js')).toEqual(['@global-owner1']);
  });

  it('ignores blank lines, comments, CRLF line ends and indentation', () => {
    const { rules, errors } = parseCodeowners(
      '# owners\r\n\r\n   \t\r\n  *.py\t@py-owner   # py\r\n#*.js @x\r\n',
    );

    expect(errors).toEqual([]);
    expect(rules).toEqual([{ pattern: '*.py', owners: ['@py-owner'], line: 4 }]);
  });

  it('keeps an escaped space in the pattern and lists each owner once', () => {
    const { rules } = parseCodeowners('my\\ docs/ @a @b @a\n');

    expect(rules).toEqual([{ pattern: 'my\\ docs/', owners: ['@a', '@b'], line: 1 }]);
    expect(ownersFor(rules, 'my docs/x.md')).toEqual(['@a', '@b']);
    expect(ownersFor(rules, 'my/x.md')).toEqual([]);
  });

  it('recognises users, teams (and EMU logins) and emails', () => {
    expect(
      ['@octocat', '@octo-org/octocats', '@mona_acme', 'mona@example.com', '@-x', 'x', '@a/b c'].map(
        ownerKind,
      ),
    ).toEqual(['user', 'team', 'user', 'email', undefined, undefined, undefined]);
  });
});

describe('pattern details (gitignore rules as GitHub applies them)', () => {
  it.each([
    // pattern, path, matches
    ['foo', 'foo', true],
    ['foo', 'bar/foo', true],
    ['foo', 'bar/foo/baz', true],
    ['foo', 'foo.txt', false],
    ['/foo', 'bar/foo', false],
    ['foo/', 'foo', false],
    ['foo/bar', 'foo/bar/baz', true],
    ['foo/bar', 'x/foo/bar', false],
    ['/*', 'foo', true],
    ['/*', 'foo/bar', false],
    ['*', 'foo/bar', true],
    ['/*/', 'foo', false],
    ['/*/', 'foo/bar', true],
    ['f*', 'foo/bar', true],
    ['f*', 'xfoo', false],
    ['foo/*.txt', 'foo/bar.txt', true],
    ['foo/*.txt', 'foo/bar/baz.txt', false],
    ['foo/*/baz', 'foo/bar/baz/qux', true],
    ['foo/*/baz', 'foo/baz', false],
    ['f?o', 'foo', true],
    ['f?o', 'fooo', false],
    ['f\\*o', 'foo', false],
    ['f\\*o', 'f*o', true],
    ['f\\?o', 'f?o', true],
    ['**/foo/bar', 'foo/bar', true],
    ['**/foo/bar', 'qux/foo/bar/baz', true],
    ['**/foo/bar', 'foo/baz/bar', false],
    ['foo/bar/**', 'foo/bar', false],
    ['foo/bar/**', 'foo/bar/baz/qux', true],
    ['foo/**/bar', 'foo/bar', true],
    ['foo/**/bar', 'foo/a/b/bar/c', true],
    ['foo/**/bar', 'x/foo/bar', false],
    ['foo/**/', 'foo', false],
    ['foo/**/', 'foo/bar', true],
    ['**', 'a/b/c', true],
    ['/', 'a', false],
    ['a**b', 'axyb', true],
    ['a**b', 'ax/yb', false],
    ['.github/', '.github/workflows/ci.yml', true],
  ] as Array<[string, string, boolean]>)('%s vs %s → %s', (pattern, path, expected) => {
    expect(patternMatches(pattern, path)).toBe(expected);
  });

  it('treats a # inside a pattern as a character, and a word starting with # as a comment', () => {
    const { rules } = parseCodeowners('docs/c#/ @csharp #owners of C# docs\n');

    expect(rules).toEqual([{ pattern: 'docs/c#/', owners: ['@csharp'], line: 1 }]);
    expect(ownersFor(rules, 'docs/c#/intro.md')).toEqual(['@csharp']);
  });

  it('gives [] when no rule matches and for an empty path', () => {
    const { rules } = parseCodeowners('/src/ @dev\n');

    expect(ownersFor(rules, 'lib/a.ts')).toEqual([]);
    expect(ownersFor(rules, '')).toEqual([]);
  });
});

/** A small deterministic generator (mulberry32), so property failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'ab', 'ba', 'a.js', 'b.md', 'logs', 'docs', '.env', 'A'];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function randomPath(next: () => number): string {
  const depth = 1 + Math.floor(next() * 4);
  return Array.from({ length: depth }, () => pick(next, NAMES)).join('/');
}

const SEGMENT_GLOBS = [
  'a',
  'b',
  'ab',
  'logs',
  'docs',
  '*',
  '*.js',
  'a*',
  '?',
  '?b',
  '*a*',
  '**',
  '.env',
  'A',
];

function randomPattern(next: () => number): string {
  const length = 1 + Math.floor(next() * 3);
  const segments = Array.from({ length }, () => pick(next, SEGMENT_GLOBS));
  const lead = next() < 0.4 ? '/' : '';
  const trail = next() < 0.3 ? '/' : '';
  return lead + segments.join('/') + trail;
}

/**
 * An independent model of GitHub's rules built on minimatch for the glob part: the pattern is anchored
 * by a leading or middle `/` (else it may start at any depth), then must match the whole path (final lone
 * `*`), the path or one of its ancestor directories, or only an ancestor (trailing `/`, trailing `**`).
 */
function model(pattern: string, path: string): boolean {
  if (pattern === '/') return false;
  let body = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  const anchored = pattern.startsWith('/') || body.replace(/\/$/, '').includes('/');
  let extent: 'exact' | 'self-or-below' | 'below' = 'self-or-below';
  if (body.endsWith('/')) {
    body = body.slice(0, -1);
    extent = 'below';
  }
  const parts = body.split('/');
  // `a/**/` is `a/`: the `**` may match no directory at all.
  if (extent === 'below' && parts.length > 1 && parts[parts.length - 1] === '**') parts.pop();
  const last = parts[parts.length - 1];
  if (extent !== 'below' && last === '**') {
    parts[parts.length - 1] = '*';
  } else if (extent !== 'below' && last === '*') {
    extent = 'exact';
  }
  const glob = (anchored || parts[0] === '**' ? '' : '**/') + parts.join('/');
  const segments = path.split('/');
  const ends =
    extent === 'exact'
      ? [segments.length]
      : Array.from({ length: extent === 'below' ? segments.length - 1 : segments.length }, (_, i) => i + 1);
  return ends.some((end) =>
    minimatch(segments.slice(0, end).join('/'), glob, {
      dot: true,
      nobrace: true,
      noext: true,
      nonegate: true,
    }),
  );
}

describe('CODEOWNERS matching properties', () => {
  it('agrees with a minimatch-based model of the documented rules', () => {
    const next = random(20_240_601);
    const disagreements: string[] = [];

    for (let i = 0; i < 4000; i++) {
      const pattern = randomPattern(next);
      const path = randomPath(next);
      if (patternMatches(pattern, path) !== model(pattern, path)) disagreements.push(`${pattern} vs ${path}`);
    }

    expect(disagreements).toEqual([]);
  });

  it('* and ? never cross a /', () => {
    const next = random(7);
    for (let i = 0; i < 1000; i++) {
      const path = randomPath(next);
      const depth = path.split('/').length;

      expect(patternMatches('/*', path)).toBe(depth === 1);
      expect(patternMatches('/?', path)).toBe(/^[^/]$/.test(path.split('/')[0]!));
      expect(patternMatches('/*/*', path)).toBe(depth === 2);
    }
  });

  it('a leading / anchors a literal to the root; without one a single name matches at any depth', () => {
    const next = random(11);
    for (let i = 0; i < 1000; i++) {
      const path = randomPath(next);
      const name = pick(next, NAMES);
      const segments = path.split('/');

      expect(patternMatches(`/${name}`, path)).toBe(segments[0] === name);
      expect(patternMatches(name, path)).toBe(segments.includes(name));
      expect(patternMatches(`**/${name}`, path)).toBe(segments.includes(name));
      expect(patternMatches(`${name}/`, path)).toBe(segments.slice(0, -1).includes(name));
    }
  });

  it('is case-sensitive', () => {
    const next = random(13);
    for (let i = 0; i < 500; i++) {
      const path = randomPath(next);
      const swapped = path.replace(/[a-z]/g, (c) => c.toUpperCase());
      if (swapped === path) continue;

      expect(patternMatches(`/${path}`, path)).toBe(true);
      expect(patternMatches(`/${swapped}`, path)).toBe(false);
    }
  });

  it('the owners are those of the last rule that matches', () => {
    const next = random(17);
    for (let i = 0; i < 300; i++) {
      const patterns = Array.from({ length: 1 + Math.floor(next() * 6) }, () => randomPattern(next));
      const { rules, errors } = parseCodeowners(patterns.map((p, n) => `${p} @owner${n}`).join('\n'));
      const path = randomPath(next);
      const matching = patterns.flatMap((p, n) => (patternMatches(p, path) ? [n] : []));

      expect(errors).toEqual([]);
      expect(ownersFor(rules, path)).toEqual(
        matching.length ? [`@owner${matching[matching.length - 1]}`] : [],
      );
    }
  });

  it('stays fast on a hostile pattern (no backtracking blow-up)', () => {
    const pattern = `${'*a'.repeat(40)}b`;
    const path = `${'a'.repeat(200)}/${'a'.repeat(200)}`;

    expect(patternMatches(pattern, path)).toBe(false);
    expect(patternMatches(`${'**/'.repeat(30)}x`, `${'d/'.repeat(60)}y`)).toBe(false);
  });
});
