-- Migration: 001_create_users
-- Description: Users of the booking service
-- Date: 2026-01-10
-- Author: Jane Doe
-- Risk: LOW

CREATE TABLE IF NOT EXISTS users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email);
