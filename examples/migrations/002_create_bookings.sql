-- Migration: 002_create_bookings
-- Description: Bookings made by users
-- Date: 2026-01-12
-- Author: Jane Doe
-- Risk: LOW

CREATE TABLE IF NOT EXISTS bookings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    starts_at timestamptz NOT NULL,
    note text
);
