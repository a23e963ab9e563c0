import { describe, expect, it } from 'vitest';
import { scanText } from '../../engine/scan.js';
import { allRules } from '../registry.js';
import { google } from './index.js';
import { isPkcs8Pem, pemBody } from './service-account.js';

const [apiKey, serviceAccount] = google.rules;

describe('google.api-key', () => {
  it('reports the key with its position and a redacted preview', () => {
    const key = apiKey!.sample('position');

    const [finding] = scanText(`const firebaseConfig = {\n  apiKey: "${key}",\n};`, google.rules);

    expect(finding).toMatchObject({ ruleId: 'google.api-key', line: 2, column: 12, class: 'cloud-ai' });
    expect(finding!.redacted).toBe(`AIza…${key.slice(-4)}`);
  });
});

describe('google.service-account', () => {
  it('finds the PEM of a key file planted from sample() and never shows key material', () => {
    const pem = serviceAccount!.sample('planted');
    const file = `{\n  "type": "service_account",\n  "private_key_id": "0123",\n  "private_key": "${pem}\\n",\n  "client_email": "a@b.iam.gserviceaccount.com"\n}\n`;

    const findings = scanText(file, allRules);

    expect(findings.map((f) => f.ruleId)).toEqual(['google.service-account']);
    expect(findings[0]!.line).toBe(4);
    expect(findings[0]!.redacted).toBe('-----BEGIN PRIVATE KEY-----…----');
    expect(findings[0]!.severity).toBe('critical');
  });

  it('ignores a PEM whose file says nothing about a service account', () => {
    const pem = serviceAccount!.sample('alone');

    expect(scanText(`{"private_key_id": "1", "private_key": "${pem}\\n"}`, allRules)).toEqual([]);
  });

  it('validates the decoded DER head and length, not just the base64 alphabet', () => {
    const pem = serviceAccount!.sample('der');
    const body = pemBody(pem);
    const truncated = pem.replace(body.slice(-8), '');

    expect(body).toMatch(/^MIIE/);
    expect(isPkcs8Pem(pem)).toBe(true);
    expect(isPkcs8Pem(truncated)).toBe(false);
    expect(isPkcs8Pem(pem.replace('\\nMIIE', '\\nMIIF'))).toBe(false);
  });

  it('reports one finding for a file with two keyword hits', () => {
    const pem = serviceAccount!.sample('twice');
    const file = `{"type": "service_account", "private_key_id": "ab", "private_key": "${pem}\\n", "x": "service_account"}`;

    expect(scanText(file, google.rules)).toHaveLength(1);
  });
});
