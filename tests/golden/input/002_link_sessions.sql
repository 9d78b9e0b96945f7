-- Migration: 002_link_sessions
-- Description: Sessions reference their account
-- Risk: MEDIUM

SET lock_timeout = '5s';

-- A foreign key validated at once scans the whole table under lock: a warning.
ALTER TABLE legacy_sessions
    ADD CONSTRAINT legacy_sessions_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
