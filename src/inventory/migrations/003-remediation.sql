-- Remediation: one issue per credential, suppressions, SLA escalation steps, CODEOWNERS cache.

ALTER TABLE credentials
  ADD COLUMN issue_repo text,
  ADD COLUMN issue_number integer,
  -- Who is creating the issue (a job id) and since when: the same claim pattern as check runs.
  ADD COLUMN issue_claimant text,
  ADD COLUMN issue_claimed_at timestamptz,
  ADD COLUMN state_changed_at timestamptz NOT NULL DEFAULT now();

CREATE UNIQUE INDEX credentials_issue ON credentials (issue_repo, issue_number) WHERE issue_number IS NOT NULL;

-- When each exposure was announced on the credential's issue (NULL: not yet).
ALTER TABLE exposures ADD COLUMN notified_at timestamptz;

-- Fingerprints a repository has declared false positives or test credentials: not reported again there.
CREATE TABLE suppressions (
  repo_id bigint NOT NULL,
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  reason text NOT NULL,
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo_id, fingerprint)
);

-- SLA escalation steps taken (1: deadline passed, 2: twice the deadline): at most one row per step.
CREATE TABLE escalations (
  credential_id bigint NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
  step integer NOT NULL CHECK (step IN (1, 2)),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (credential_id, step)
);
