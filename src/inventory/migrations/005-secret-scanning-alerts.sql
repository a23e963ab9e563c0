-- GitHub secret scanning alerts of AI credentials. No column holds an alert's secret: an alert points at
-- its credential (found by the keyed fingerprint of the secret, which is then dropped).

CREATE TABLE alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  credential_id bigint NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
  -- The installation that can read and resolve the alert.
  installation_id bigint NOT NULL,
  repo_id bigint NOT NULL,
  repo text NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  secret_type text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'resolved')),
  resolution text,
  resolved_by text,
  resolved_at timestamptz,
  push_protection_bypassed boolean NOT NULL DEFAULT false,
  push_protection_bypassed_by text,
  push_protection_bypassed_at timestamptz,
  validity text,
  publicly_leaked boolean NOT NULL DEFAULT false,
  html_url text NOT NULL,
  created_at timestamptz NOT NULL,
  -- GitHub's last change of the alert: an older read never overwrites a newer one, and the sweep syncs
  -- only alerts whose `updated_at` moved.
  updated_at timestamptz NOT NULL,
  synced_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (repo_id, number)
);

CREATE INDEX alerts_credential ON alerts (credential_id, state);

-- Places outside the repository's code where an alert's secret was seen (issue and pull request text and
-- comments, discussions, wiki commits); commit locations are exposures (source 'alert').
CREATE TABLE alert_locations (
  alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  kind text NOT NULL,
  url text NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, kind, url)
);

-- The org-wide sweep: the ETag of the first page of each organisation's alerts (for that exact query),
-- saved only after a sweep synced every page.
CREATE TABLE alert_sweeps (
  org text PRIMARY KEY,
  installation_id bigint NOT NULL,
  query text NOT NULL,
  etag text,
  swept_at timestamptz NOT NULL DEFAULT now()
);
