-- Migration: 001_create_accounts
-- Description: Accounts and their sessions
-- Risk: LOW

CREATE TABLE IF NOT EXISTS accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL
);

CREATE TABLE IF NOT EXISTS legacy_sessions (
    id bigint PRIMARY KEY,
    account_id bigint
);
