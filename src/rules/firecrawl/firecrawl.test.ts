import { describe, expect, it } from 'vitest';
import { compileRules, scanText } from '../../engine/scan.js';
import { ALPHABETS, fake } from '../examples.js';
import { allRules } from '../registry.js';

const engine = compileRules(allRules);

function firecrawlSecrets(text: string): string[] {
  return scanText(text, engine)
    .filter((finding) => finding.ruleId === 'firecrawl.api-key')
    .map((finding) => finding.secret.reveal());
}

/** `fc-` + 32 hex with the given version and variant nibbles. */
function keyWith(version: string, variant: string): string {
  const hex = fake('firecrawl.test', 32, ALPHABETS.hexLower);
  return `fc-${hex.slice(0, 12)}${version}${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
}

describe('firecrawl.api-key', () => {
  it('accepts every RFC 4122 variant of a version-4 body', () => {
    for (const variant of ['8', '9', 'a', 'b']) {
      const key = keyWith('4', variant);
      expect(firecrawlSecrets(`FIRECRAWL_API_KEY=${key}`)).toEqual([key]);
    }
  });

  it('rejects other versions and variants', () => {
    expect(firecrawlSecrets(`FIRECRAWL_API_KEY=${keyWith('1', '8')}`)).toEqual([]);
    expect(firecrawlSecrets(`FIRECRAWL_API_KEY=${keyWith('7', '8')}`)).toEqual([]);
    expect(firecrawlSecrets(`FIRECRAWL_API_KEY=${keyWith('4', 'c')}`)).toEqual([]);
    expect(firecrawlSecrets(`FIRECRAWL_API_KEY=${keyWith('4', '7')}`)).toEqual([]);
  });

  it('finds a key in a URL query and as a call argument', () => {
    const key = keyWith('4', 'a');
    expect(firecrawlSecrets(`https://api.firecrawl.dev/v2/scrape?api_key=${key}&url=example.com`)).toEqual([
      key,
    ]);
    expect(firecrawlSecrets(`scrape(${key}, timeout=30)`)).toEqual([key]);
  });

  it('leaves FullCalendar classes alone', () => {
    expect(
      firecrawlSecrets('.fc-timegrid-slot-label-cushion, .fc-col-header-cell-cushion { padding: 2px }'),
    ).toEqual([]);
  });
});
