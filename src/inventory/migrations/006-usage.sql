-- Usage anomalies: hourly use per provider key, the keys behind leaked credentials, and jumps reported.

-- The provider's id of a leaked key (OpenAI `key_…`, Anthropic `apikey_…`), learned when an adapter's
-- `identify()` or `revoke()` matched the credential with the provider's admin API. Never the key itself.
-- `checked_through`: the start of the last hour the usage check tested for this key (NULL: never).
CREATE TABLE provider_keys (
  credential_id bigint NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
  provider text NOT NULL,
  key_id text NOT NULL,
  scope text,
  found_at timestamptz NOT NULL DEFAULT now(),
  checked_through timestamptz,
  UNIQUE (provider, key_id)
);

CREATE INDEX provider_keys_credential ON provider_keys (credential_id);

-- Hourly use of every key of the organisation, as the provider's usage API reports it.
CREATE TABLE usage_hours (
  provider text NOT NULL,
  key_id text NOT NULL,
  hour timestamptz NOT NULL,
  requests bigint NOT NULL CHECK (requests >= 0),
  tokens bigint NOT NULL CHECK (tokens >= 0),
  PRIMARY KEY (provider, key_id, hour)
);

-- When each provider's usage was last fetched: the next fetch starts one hour before that hour.
CREATE TABLE usage_fetches (
  provider text PRIMARY KEY,
  fetched_at timestamptz NOT NULL
);

-- One row per jump, so a jump is reported once. `claimed_at` is set while a job comments on the
-- credential's issue, `reported_at` once the comment is posted (NULL: still to post).
CREATE TABLE usage_anomalies (
  provider text NOT NULL,
  key_id text NOT NULL,
  hour timestamptz NOT NULL,
  credential_id bigint NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
  unit text NOT NULL CHECK (unit IN ('tokens', 'requests')),
  observed bigint NOT NULL,
  baseline double precision NOT NULL,
  detected_at timestamptz NOT NULL DEFAULT now(),
  claimed_at timestamptz,
  reported_at timestamptz,
  PRIMARY KEY (provider, key_id, hour)
);

CREATE INDEX usage_anomalies_unreported ON usage_anomalies (credential_id) WHERE reported_at IS NULL;
