/**
 * GitHub secret scanning's `secret_type` names mapped to keywarden's rules: only these alerts are ever
 * requested (the sweep's `secret_type` filter) or kept (webhooks of other types are ignored at the edge).
 * Class and severity come from the rule. Names are those of GitHub's "Supported secret scanning
 * patterns" (docs.github.com, `src/secret-scanning/data/public-docs.yml` in github/docs).
 *
 * `ruleId` is the rule an alert falls back to when scanning its secret with the provider's rules finds
 * nothing more precise (`identifyAlertSecret`): for a provider with several kinds (OpenAI project,
 * service-account, admin and legacy keys) the scan picks the kind; where only a context rule exists
 * (`COHERE_API_KEY=…`), the bare secret cannot be scanned and the table's rule is the answer. Where a
 * provider has a prefixed modern kind and an unprefixed legacy kind, the fallback is the legacy one: a
 * prefixed key would have been found by the scan.
 */
export interface SecretTypeMapping {
  /** GitHub's `secret_type`. */
  secretType: string;
  /** keywarden's provider family (the rule's `provider`). */
  provider: string;
  /** The rule used when the scan of the secret finds no kind of its own. */
  ruleId: string;
  /**
   * `false` for a type the issue names but the GitHub documentation read for this table does not list:
   * handled when a webhook delivers it, left out of the sweep's filter (an unknown name there could make
   * GitHub refuse the whole request).
   */
  documented?: false;
}

export const SECRET_TYPES: readonly SecretTypeMapping[] = [
  { secretType: 'anthropic_admin_api_key', provider: 'anthropic', ruleId: 'anthropic.admin-key' },
  { secretType: 'anthropic_api_key', provider: 'anthropic', ruleId: 'anthropic.api-key' },
  { secretType: 'aws_access_key_id', provider: 'aws', ruleId: 'aws.access-key-id' },
  { secretType: 'aws_secret_access_key', provider: 'aws', ruleId: 'aws.secret-access-key' },
  { secretType: 'azure_ai_services_key', provider: 'azure', ruleId: 'azure.ai-services-key' },
  { secretType: 'azure_openai_key', provider: 'azure', ruleId: 'azure.openai-key' },
  { secretType: 'cohere_api_key', provider: 'cohere', ruleId: 'cohere.api-key' },
  { secretType: 'databricks_access_token', provider: 'databricks', ruleId: 'databricks.access-token' },
  { secretType: 'deepseek_api_key', provider: 'deepseek', ruleId: 'deepseek.api-key' },
  {
    secretType: 'github_app_installation_access_token',
    provider: 'github',
    ruleId: 'github.installation-token',
  },
  { secretType: 'github_oauth_access_token', provider: 'github', ruleId: 'github.oauth-token' },
  {
    secretType: 'github_personal_access_token',
    provider: 'github',
    ruleId: 'github.personal-access-token',
  },
  { secretType: 'github_refresh_token', provider: 'github', ruleId: 'github.refresh-token' },
  { secretType: 'google_api_key', provider: 'google', ruleId: 'google.api-key' },
  {
    secretType: 'google_cloud_service_account_credentials',
    provider: 'google',
    ruleId: 'google.service-account',
  },
  { secretType: 'google_gemini_api_key', provider: 'google', ruleId: 'google.api-key' },
  { secretType: 'groq_api_key', provider: 'groq', ruleId: 'groq.api-key' },
  { secretType: 'hf_org_api_key', provider: 'huggingface', ruleId: 'huggingface.org-token' },
  { secretType: 'hf_user_access_token', provider: 'huggingface', ruleId: 'huggingface.user-token' },
  { secretType: 'langchain_api_personal_key', provider: 'langsmith', ruleId: 'langsmith.api-key' },
  { secretType: 'langchain_api_server_key', provider: 'langsmith', ruleId: 'langsmith.api-key' },
  { secretType: 'mistral_ai_api_key', provider: 'mistral', ruleId: 'mistral.api-key' },
  { secretType: 'openai_api_key', provider: 'openai', ruleId: 'openai.legacy-key' },
  { secretType: 'openrouter_api_key', provider: 'openrouter', ruleId: 'openrouter.api-key' },
  { secretType: 'perplexity_api_key', provider: 'perplexity', ruleId: 'perplexity.api-key' },
  {
    secretType: 'pinecone_api_key',
    provider: 'pinecone',
    ruleId: 'pinecone.legacy-api-key',
    documented: false,
  },
  { secretType: 'replicate_api_token', provider: 'replicate', ruleId: 'replicate.api-token' },
  { secretType: 'slack_api_token', provider: 'slack', ruleId: 'slack.bot-token' },
  { secretType: 'wandb_api_key', provider: 'wandb', ruleId: 'wandb.legacy-api-key' },
  { secretType: 'xai_api_key', provider: 'xai', ruleId: 'xai.api-key' },
];

const BY_TYPE = new Map(SECRET_TYPES.map((mapping) => [mapping.secretType, mapping]));

/** The mapping of a GitHub `secret_type`, or `undefined` for a type keywarden does not govern. */
export function mappedSecretType(secretType: string): SecretTypeMapping | undefined {
  return BY_TYPE.get(secretType);
}

/**
 * The sweep's `secret_type` filter: every documented mapped type, comma-separated, sorted (a stable query,
 * so the stored ETag keeps matching the same request).
 */
export function sweepSecretTypes(): string {
  return SECRET_TYPES.filter((mapping) => mapping.documented !== false)
    .map((mapping) => mapping.secretType)
    .sort()
    .join(',');
}
