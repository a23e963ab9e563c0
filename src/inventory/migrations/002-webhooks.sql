-- What the webhook edge and the job workers need to stay idempotent across processes.

-- One row per X-GitHub-Delivery: a redelivered webhook finds its row and changes nothing.
CREATE TABLE deliveries (
  delivery_id text PRIMARY KEY,
  event text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- One check run per repository and head sha. The first job to insert the row owns the check run;
-- `claimant` (the job id) lets the owning job claim again when it is retried.
CREATE TABLE check_runs (
  repo_id bigint NOT NULL,
  head_sha text NOT NULL,
  check_run_id bigint,
  claimant text,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repo_id, head_sha)
);

-- Jobs that failed for good: a non-retryable error, or retries run out.
CREATE TABLE dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_name text NOT NULL,
  job_id text NOT NULL,
  payload jsonb,
  error text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job_name, job_id)
);
