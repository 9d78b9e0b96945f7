-- Migration: 003_add_booking_tags
-- Description: Add tags to bookings, indexed for search
-- Date: 2026-01-16
-- Author: Sam Lee
-- Risk: LOW

SET lock_timeout = '2s';

ALTER TABLE bookings ADD COLUMN IF NOT EXISTS tags text[];

-- An index build that locks bookings against writes for its whole duration.
CREATE INDEX bookings_tags_idx ON bookings USING gin (tags);
