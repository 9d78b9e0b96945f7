-- Migration: 004_drop_legacy_notes
-- Description: Remove the unused note column and the old audit table
-- Date: 2026-01-20
-- Author: Sam Lee
-- Risk: LOW

-- Acknowledged: reviewed in CHANGE-118, the column has been unused since v3.2.
-- @override-destructive note column unused since v3.2
-- @rollback-plan: re-add note as nullable text; restore values from the 2026-01-19 snapshot
ALTER TABLE bookings DROP COLUMN IF EXISTS note;

-- Not acknowledged: this one fails the check.
DROP TABLE IF EXISTS audit_log;
