import {
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { Secret } from '../../engine/secret.js';
import type { ProviderAdapter, ProviderContext, RevocationOutcome, Verification } from '../types.js';
import { IAM_TIMEOUT_MS, type IamFailure, iamClient, iamFailure } from './iam.js';

const RULE = 'aws.access-key-id';

export const NO_AWS_ADMIN =
  'no AWS admin credentials configured (KEYWARDEN_AWS_ACCESS_KEY_ID / KEYWARDEN_AWS_SECRET_ACCESS_KEY)';

export interface AwsAdapterOptions {
  /** Connection and response timeout of each IAM call (ms). */
  timeoutMs?: number;
}

/**
 * AWS access key ids, through IAM with the configured admin credentials. The key id is the value that
 * matters here: it is sent only to IAM, in the calls that name it. Verification reads the key's status
 * (`Active` → live, `Inactive`/`Expired` → dead); revocation sets it to `Inactive`.
 */
export function createAwsAdapter(options: AwsAdapterOptions = {}): ProviderAdapter {
  const timeoutMs = options.timeoutMs ?? IAM_TIMEOUT_MS;

  async function withClient<T>(
    ctx: ProviderContext,
    use: (client: IAMClient) => Promise<T>,
  ): Promise<T | undefined> {
    const admin = ctx.admin.aws;
    if (!admin) return undefined;
    const client = iamClient(admin, timeoutMs);
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  }

  /** An overall deadline per call, on top of the handler's connection and response timeouts. */
  const deadline = () => ({ abortSignal: AbortSignal.timeout(timeoutMs * 2) });

  /** The IAM user that owns the key, or why it could not be found. */
  async function owner(
    client: IAMClient,
    keyId: Secret,
  ): Promise<{ user: string } | { failure: IamFailure }> {
    try {
      const answer = await client.send(
        new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId.reveal() }),
        deadline(),
      );
      if (!answer.UserName) {
        return {
          failure: {
            kind: 'refusal',
            detail: 'IAM GetAccessKeyLastUsed named no IAM user (a root or temporary key?)',
          },
        };
      }
      return { user: answer.UserName };
    } catch (error) {
      return { failure: iamFailure('GetAccessKeyLastUsed', error, keyId.reveal()) };
    }
  }

  async function verify(secret: Secret, ruleId: string, ctx: ProviderContext): Promise<Verification> {
    if (ruleId !== RULE) return { verdict: 'unknown', detail: `not an ${RULE}` };
    const verdict = await withClient(ctx, async (client): Promise<Verification> => {
      const found = await owner(client, secret);
      if ('failure' in found) return { verdict: 'unknown', detail: found.failure.detail };
      try {
        const listed = await client.send(new ListAccessKeysCommand({ UserName: found.user }), deadline());
        const key = listed.AccessKeyMetadata?.find(
          (k) => k.AccessKeyId !== undefined && secret.equals(k.AccessKeyId),
        );
        if (key?.Status === 'Active') {
          return { verdict: 'live', detail: 'IAM ListAccessKeys: the key is Active' };
        }
        if (key?.Status === 'Inactive' || key?.Status === 'Expired') {
          return { verdict: 'dead', detail: `IAM ListAccessKeys: the key is ${key.Status}` };
        }
        return { verdict: 'unknown', detail: "IAM ListAccessKeys: the key is not among its user's keys" };
      } catch (error) {
        return { verdict: 'unknown', detail: iamFailure('ListAccessKeys', error, secret.reveal()).detail };
      }
    });
    return verdict ?? { verdict: 'unknown', detail: `${NO_AWS_ADMIN}: IAM cannot be asked` };
  }

  async function revoke(
    secret: Secret,
    ruleId: string,
    ctx: ProviderContext,
    { dryRun }: { dryRun: boolean },
  ): Promise<RevocationOutcome> {
    if (ruleId !== RULE) return { kind: 'refused', detail: `not an ${RULE}` };
    const outcome = await withClient(ctx, async (client): Promise<RevocationOutcome> => {
      const found = await owner(client, secret);
      if ('failure' in found) return refusedOrFailed(found.failure);
      // IAM user names are `[\w+=,.@-]`; anything else is not shown.
      const user = /^[\w+=,.@-]{1,64}$/.test(found.user) ? `IAM user ${found.user}` : 'its IAM user';
      const plan = `the access key ${secret.redacted} of ${user}`;
      if (dryRun) return { kind: 'planned', detail: `would set ${plan} to Inactive` };
      try {
        await client.send(
          new UpdateAccessKeyCommand({
            UserName: found.user,
            AccessKeyId: secret.reveal(),
            Status: 'Inactive',
          }),
          deadline(),
        );
      } catch (error) {
        return refusedOrFailed(iamFailure('UpdateAccessKey', error, secret.reveal()));
      }
      return {
        kind: 'revoked',
        detail: `set ${plan} to Inactive; delete it once its replacement is in use`,
      };
    });
    return outcome ?? { kind: 'refused', detail: NO_AWS_ADMIN };
  }

  return { provider: 'aws', rules: [RULE], verify, revoke };
}

function refusedOrFailed(failure: IamFailure): RevocationOutcome {
  return { kind: failure.kind === 'refusal' ? 'refused' : 'failed', detail: failure.detail };
}

/** The AWS adapter with default timeouts. */
export const aws: ProviderAdapter = createAwsAdapter();
