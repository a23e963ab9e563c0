import { describe, expect, it } from 'vitest';
import {
  type AlertAction,
  alertLocationWebhook,
  alertWebhook,
  assertWebhookShape,
  commitLocation,
} from './support/alert-payloads.js';

const REPO = { owner: 'octo', name: 'hello', id: 42 };
const facts = { number: 3, secretType: 'openai_api_key' };

/** The built payloads are checked against GitHub's webhook description; so is the check itself. */
describe('secret scanning webhook payloads', () => {
  it.each([
    'created',
    'reopened',
    'resolved',
    'validated',
    'publicly_leaked',
    'assigned',
    'unassigned',
  ] as AlertAction[])('builds a valid %s payload without the secret', (action) => {
    const payload = alertWebhook(action, REPO, {
      ...facts,
      ...(action === 'resolved' ? { state: 'resolved', resolution: 'revoked', resolvedBy: 'octocat' } : {}),
    });

    expect(payload['action']).toBe(action);
    expect(payload['alert']).not.toHaveProperty('secret');
  });

  it('builds a valid location payload', () => {
    const payload = alertLocationWebhook(
      REPO,
      facts,
      commitLocation({ path: 'a.py', line: 1, commitSha: 'a'.repeat(40), blobSha: 'b'.repeat(40) }),
    );

    expect(payload['location']).toMatchObject({ type: 'commit' });
  });

  it('rejects a payload that does not fit the description', () => {
    const payload = alertWebhook('created', REPO, facts);

    expect(() =>
      assertWebhookShape('webhook-secret-scanning-alert-created', { ...payload, action: 'made' }),
    ).toThrow(/does not fit/);
    expect(() =>
      assertWebhookShape('webhook-secret-scanning-alert-created', {
        ...payload,
        alert: { ...(payload['alert'] as object), number: 'three' },
      }),
    ).toThrow(/alert\/number/);
  });
});
