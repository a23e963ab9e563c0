-- The credential inventory. No column ever holds a raw secret: a credential is known by its keyed
-- fingerprint (HMAC-SHA-256, hex) and shown by its redacted preview.

CREATE TABLE credentials (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fingerprint text NOT NULL UNIQUE CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  provider text NOT NULL,
  rule_id text NOT NULL,
  class text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  redacted text NOT NULL,
  state text NOT NULL DEFAULT 'detected' CHECK (state IN (
    'detected', 'notified', 'confirmed', 'false-positive', 'test-credential', 'revoked', 'rotated', 'closed'
  )),
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX credentials_provider_class ON credentials (provider, class);
CREATE INDEX credentials_state ON credentials (state);

-- Every place a credential was seen: one row per credential, repository, commit, path and line.
CREATE TABLE exposures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  credential_id bigint NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
  repo_id bigint NOT NULL,
  repo text NOT NULL,
  commit_sha text NOT NULL,
  path text NOT NULL,
  line integer NOT NULL CHECK (line >= 1),
  col integer NOT NULL CHECK (col >= 1),
  blob_sha text,
  source text NOT NULL CHECK (source IN ('push', 'pull_request', 'alert')),
  ref text,
  pull_request integer,
  first_seen timestamptz NOT NULL DEFAULT now(),
  UNIQUE (credential_id, repo_id, commit_sha, path, line)
);

CREATE INDEX exposures_repo ON exposures (repo_id, commit_sha);

-- The audit log: what happened, who did it, when and why.
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  credential_id bigint REFERENCES credentials (id) ON DELETE CASCADE,
  kind text NOT NULL,
  actor text NOT NULL,
  reason text,
  data jsonb,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_credential ON events (credential_id, at);
