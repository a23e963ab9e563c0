-- Which job is announcing an exposure on its issue, and since when: a claim taken in a short transaction,
-- so no transaction stays open while GitHub is asked to create or update the issue.
ALTER TABLE exposures
  ADD COLUMN announce_claim text,
  ADD COLUMN announce_claimed_at timestamptz;
