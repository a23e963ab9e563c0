import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';

describe('redact', () => {
  it('shows the visible prefix and the last four characters', () => {
    expect(redact('sk-proj-abcdefghijklmnopqrstuvwxyz1234', 'sk-proj-')).toBe('sk-proj-…1234');
  });

  it('shows no prefix it was not given', () => {
    expect(redact('0123456789abcdef0123456789abcdef')).toBe('…cdef');
  });

  it('hides at least three quarters of short values', () => {
    expect(redact('abcdefgh')).toBe('…gh');
    expect(redact('abc')).toBe('…');
  });

  it('ignores a prefix the value does not start with', () => {
    expect(redact('ghp_0123456789abcdef', 'gho_')).toBe('…cdef');
  });
});
