import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule } from '../types.js';

/** A key as Google issues it: `AIza` + 35 base64url characters (the fifth and sixth are almost always `Sy`). */
function googleKey(seed: string): string {
  return `AIza${'Sy'}${fake(seed, 33, ALPHABETS.base64url)}`;
}

/**
 * Google API keys (`AIza…`): the key that Gemini (AI Studio) issues, and the same kind of key that Maps,
 * Firebase and every other Google Cloud API accept. It opens whatever APIs are enabled on its project.
 */
export const googleApiKey: Rule = {
  id: 'google.api-key',
  provider: 'google',
  title: 'Google API key (Gemini / Google Cloud)',
  class: 'cloud-ai',
  // High, not critical: the key calls the project's enabled APIs on its bill (Gemini included once the
  // Generative Language API is on), but it cannot manage the project, and many keys are API-restricted.
  severity: 'high',
  keywords: ['aiza'],
  anchor: 'prefix',
  pattern: prefixed('AIza', '[A-Za-z0-9_-]{35}'),
  visiblePrefix: 'AIza',
  minEntropy: 3.5,
  revokeUrl: 'https://console.cloud.google.com/apis/credentials',
  sample: (seed) => googleKey(`google.api-key:${seed}`),
  examples: () => {
    const a = googleKey('google.api-key:env');
    const b = googleKey('google.api-key:yaml');
    const c = googleKey('google.api-key:json');
    const d = googleKey('google.api-key:python');
    const e = googleKey('google.api-key:escaped');
    const f = googleKey('google.api-key:url');
    return {
      positive: [
        { text: `GEMINI_API_KEY=${a}`, secret: a },
        { text: `gemini:\n  api_key: "${b}"\n`, secret: b },
        { text: `{"apiKey": "${c}", "authDomain": "demo.firebaseapp.com"}`, secret: c },
        { text: `genai.configure(api_key='${d}')`, secret: d },
        { text: `"env": "{\\"GOOGLE_API_KEY\\":\\"${e}\\"}"`, secret: e },
        {
          text: `curl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=${f}"`,
          secret: f,
        },
      ],
      negative: [
        // too short, too long
        `GEMINI_API_KEY=${googleKey('neg:short').slice(0, 38)}`,
        `GEMINI_API_KEY=${googleKey('neg:long')}Q`,
        // wrong case of the marker
        `GEMINI_API_KEY=AIZA${googleKey('neg:case').slice(4)}`,
        // wrong charset inside the body
        `GEMINI_API_KEY=${googleKey('neg:charset').slice(0, 20)}+${googleKey('neg:charset').slice(21)}`,
        // glued to a longer identifier
        `token=xAIza${googleKey('neg:glued').slice(4)}`,
        // placeholders
        `GEMINI_API_KEY=AIza${'Sy_YOUR_GEMINI_API_KEY_HERE'.padEnd(35, '0')}`,
        `GEMINI_API_KEY=AIza${'a'.repeat(35)}`,
      ],
    };
  },
};
