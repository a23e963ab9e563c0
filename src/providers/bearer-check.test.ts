import { describe, expect, it } from 'vitest';
import { safeToken, unrecognised } from './bearer-check.js';

describe('safeToken', () => {
  it.each([
    ['invalid_api_key', 'invalid_api_key'],
    ['API_KEY_INVALID', 'API_KEY_INVALID'],
    ['Throttling', 'Throttling'],
    ['Incorrect API key provided: xa***yz', undefined],
    ['sk-…a1B2', undefined],
    ['x'.repeat(41), undefined],
    ['<script>', undefined],
    [42, undefined],
    [undefined, undefined],
  ])('%j → %j', (value, expected) => {
    expect(safeToken(value)).toBe(expected);
  });
});

describe('unrecognised', () => {
  it.each([
    [429, 'rate limited, proves nothing'],
    [500, 'provider error, proves nothing'],
    [503, 'provider error, proves nothing'],
    [200, 'unexpected body, proves nothing'],
    [204, 'unexpected body, proves nothing'],
    [400, 'not an answer that proves the key live or dead'],
    [403, 'not an answer that proves the key live or dead'],
  ])('%i → %s', (status, expected) => {
    expect(unrecognised(status)).toBe(expected);
  });
});
