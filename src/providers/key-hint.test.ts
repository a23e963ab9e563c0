import { describe, expect, it } from 'vitest';
import { Secret } from '../engine/secret.js';
import { ALPHABETS, fake } from '../rules/examples.js';
import { matchesKeyHint } from './key-hint.js';

const raw = `sk-proj-${fake('key-hint', 60, ALPHABETS.alnum)}`;
const secret = new Secret(raw, `sk-proj-…${raw.slice(-4)}`);

describe('matchesKeyHint', () => {
  it.each([
    { name: 'prefix...suffix', hint: `${raw.slice(0, 11)}...${raw.slice(-4)}`, fits: true },
    { name: 'prefix…suffix', hint: `${raw.slice(0, 11)}…${raw.slice(-4)}`, fits: true },
    { name: 'prefix****suffix', hint: `${raw.slice(0, 8)}****${raw.slice(-4)}`, fits: true },
    { name: 'another suffix', hint: `${raw.slice(0, 11)}...${raw.slice(-5, -1)}`, fits: false },
    { name: 'another prefix', hint: `sk-proj-zzz...${raw.slice(-4)}`, fits: false },
    { name: 'no suffix', hint: `${raw.slice(0, 11)}...`, fits: false },
    { name: 'no prefix', hint: `...${raw.slice(-4)}`, fits: false },
    { name: 'no separator', hint: raw.slice(0, 11), fits: false },
    { name: 'longer than the key', hint: `${raw.slice(0, 40)}...${raw.slice(-30)}`, fits: false },
    { name: 'empty', hint: '', fits: false },
  ])('$name → $fits', ({ hint, fits }) => {
    expect(matchesKeyHint(hint, secret)).toBe(fits);
  });
});
