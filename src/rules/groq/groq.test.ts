import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';
import { groq } from './index.js';

const engine = compileRules(allRules);
const [rule] = groq.rules;

describe('groq.api-key', () => {
  it('samples gsk_ and 52 alphanumerics (56 characters)', () => {
    expect(rule!.sample('shape')).toMatch(/^gsk_[A-Za-z0-9]{52}$/);
  });

  it('accepts the 48-character body gitleaks documents', () => {
    const key = `gsk_${fake('groq:48', 48, ALPHABETS.alnum)}`;

    const [finding] = scanText(`GROQ_API_KEY=${key}`, engine);

    expect(finding?.secret.reveal()).toBe(key);
  });

  it('rejects 53 characters and the placeholder gitleaks lists', () => {
    const long = `gsk_${fake('groq:53', 53, ALPHABETS.alnum)}`;

    expect(scanText(`GROQ_API_KEY=${long}`, engine)).toEqual([]);
    expect(scanText(`GSK_API_KEY=gsk_${'x'.repeat(48)}`, engine)).toEqual([]);
  });

  it('reports the line and column of a key in a Dockerfile', () => {
    const key = rule!.sample('docker');

    const [finding] = scanText(`FROM node:20\nENV GROQ_API_KEY=${key}\n`, engine);

    expect([finding?.line, finding?.column]).toEqual([2, 18]);
  });
});
