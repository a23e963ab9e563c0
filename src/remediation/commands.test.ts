import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, hasCommand, helpText, MAX_REASON_LENGTH, parseComment } from './commands.js';

describe('parseComment', () => {
  it.each([
    ['/keywarden confirm', { name: 'confirm' }],
    ['/keywarden CONFIRM', { name: 'confirm' }],
    ['/Keywarden Revoke', { name: 'revoke' }],
    ['  /keywarden rotated  ', { name: 'rotated' }],
    ['/keywarden status', { name: 'status' }],
    ['/keywarden help', { name: 'help' }],
    ['/keywarden confirm checked at the provider', { name: 'confirm', reason: 'checked at the provider' }],
    [
      '/keywarden false-positive sample value from the docs',
      { name: 'false-positive', reason: 'sample value from the docs' },
    ],
    [
      '/keywarden Test-Credential   sandbox key with no quota ',
      { name: 'test-credential', reason: 'sandbox key with no quota' },
    ],
    ['/keywarden\tconfirm', { name: 'confirm' }],
  ])('parses %j', (body, command) => {
    expect(parseComment(body)).toEqual({ kind: 'command', command });
  });

  it('takes the first command line and ignores the rest of the comment', () => {
    const body = 'I looked at it.\r\n\r\n/keywarden false-positive docs example\n/keywarden confirm\nthanks';

    expect(parseComment(body)).toEqual({
      kind: 'command',
      command: { name: 'false-positive', reason: 'docs example' },
    });
  });

  it('needs a reason for false-positive and test-credential', () => {
    expect(parseComment('/keywarden false-positive')).toEqual({
      kind: 'missing-reason',
      name: 'false-positive',
    });
    expect(parseComment('/keywarden test-credential   ')).toEqual({
      kind: 'missing-reason',
      name: 'test-credential',
    });
  });

  it('reports an unknown or missing command word', () => {
    expect(parseComment('/keywarden close now')).toEqual({ kind: 'unknown', word: 'close' });
    expect(parseComment('/keywarden')).toEqual({ kind: 'unknown', word: '' });
  });

  it.each([
    ['no command here'],
    ['please run /keywarden confirm'],
    ['> /keywarden confirm'],
    ['/keywardenconfirm'],
    ['/keywarden-bot confirm'],
    ['```\n/keywarden confirm\n```'],
    ['~~~md\n/keywarden confirm\n~~~'],
    [''],
  ])('finds no command in %j', (body) => {
    expect(parseComment(body)).toEqual({ kind: 'none' });
    expect(hasCommand(body)).toBe(false);
  });

  it('reads a command after a closed code fence', () => {
    expect(parseComment('```\nlog\n```\n/keywarden status')).toEqual({
      kind: 'command',
      command: { name: 'status' },
    });
  });

  it('cuts a long reason', () => {
    const parsed = parseComment(`/keywarden false-positive ${'a'.repeat(MAX_REASON_LENGTH + 50)}`);

    expect(parsed.kind === 'command' && parsed.command.reason?.length).toBe(MAX_REASON_LENGTH);
  });

  it('treats null and empty bodies as no command', () => {
    expect(hasCommand(null)).toBe(false);
    expect(hasCommand(undefined)).toBe(false);
    expect(hasCommand('/keywarden status')).toBe(true);
  });
});

describe('helpText', () => {
  it('lists every command once', () => {
    const text = helpText();

    for (const name of COMMAND_NAMES) expect(text).toContain(`\`/keywarden ${name}`);
    expect(text.split('\n')).toHaveLength(COMMAND_NAMES.length + 2);
  });
});
