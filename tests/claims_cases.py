"""What each locking, rewrite and idempotency rule claims, as checks on what
PostgreSQL 15 really did (tests/claims_test.py runs them).

A case is a migration set: `setup` (applied first, with rows, so scans are
real), the rule's own bad or good example from its metadata (or `sql`), and an
optional `probe` migration run after it. `bad`/`good` are checks on the trace
`T` of the example (and of the probe): a claim PostgreSQL contradicts fails.

Claims that depend on --pg-version and cannot be tested on 15 are listed in
UNTESTABLE_ON_15.
"""

ROWS = "generate_series(1, 5000) g"

BOOKINGS = (
    "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
    f"INSERT INTO users SELECT g, 'u' || g || '@x' FROM {ROWS};\n"
    "CREATE TABLE bookings (id bigint PRIMARY KEY, user_id bigint, room_id bigint, status text,\n"
    "    during tstzrange);\n"
    f"INSERT INTO bookings SELECT g, g, g % 50, 'ok', NULL FROM {ROWS};\n"
    "CREATE INDEX bookings_user_id_idx ON bookings (user_id);\n"
    "CREATE MATERIALIZED VIEW booking_stats AS SELECT room_id, count(*) AS n FROM bookings GROUP BY room_id;\n"
    "CREATE UNIQUE INDEX booking_stats_room ON booking_stats (room_id);\n"
    "ANALYZE;\n")
BOOKINGS_NO_INDEX = BOOKINGS.replace("CREATE INDEX bookings_user_id_idx ON bookings (user_id);\n", "")
EVENTS = ("CREATE TABLE events (id int PRIMARY KEY, name text);\n"
          f"INSERT INTO events SELECT g, 'e' FROM {ROWS};\n")
ORDERS = ("CREATE TABLE orders (id int PRIMARY KEY);\n"
          f"INSERT INTO orders SELECT g FROM {ROWS};\n")
# bookings without the column the add-column examples add
BOOKINGS_NO_STATUS = BOOKINGS.replace(" status text,", "").replace("g % 50, 'ok', NULL", "g % 50, NULL")
DOMAIN = ("CREATE DOMAIN email_address AS text;\n"
          "CREATE TABLE contacts (id int, email email_address);\n"
          f"INSERT INTO contacts SELECT g, 'c' || g || '@x' FROM {ROWS};\n")
PARTITIONS = ("CREATE TABLE measurements (at date NOT NULL, v int) PARTITION BY RANGE (at);\n"
              "CREATE TABLE measurements_2023 PARTITION OF measurements\n"
              "    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');\n"
              "CREATE TABLE measurements_2024 PARTITION OF measurements\n"
              "    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
              "INSERT INTO measurements SELECT date '2023-01-01' + (g % 700), g FROM " + ROWS + ";\n")

ORDER = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
         "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]


class Trace:
    """The traced statements of the example migration (and of the probe)."""

    def __init__(self, example, probe, findings):
        self.example = example or {"statements": [], "outcome": "missing"}
        self.probe = probe or {"statements": []}
        self.findings = findings

    def statements(self, where="example"):
        return (self.example if where == "example" else self.probe)["statements"]

    def stmt(self, needle, where="example"):
        for s in self.statements(where):
            if needle.lower() in s["sql"].lower():
                return s
        raise AssertionError(f"no statement containing {needle!r}")

    @staticmethod
    def rel(s, name):
        for r in s["relations"]:
            if r["name"] in (name, "public." + name):
                return r
        return None

    def strongest(self, s, name):
        r = self.rel(s, name)
        modes = (r["locks"] + r["held"]) if r else []
        return max((ORDER.index(m) for m in modes if m in ORDER), default=-1)

    def takes(self, s, name, mode):
        return self.strongest(s, name) >= ORDER.index(mode)

    def below(self, s, name, mode):
        return self.strongest(s, name) < ORDER.index(mode)

    def rewrote(self, s, name):
        r = self.rel(s, name)
        return bool(r and r["rewritten"])

    def scanned(self, s, name):
        r = self.rel(s, name)
        return bool(r and r["seq_scans"] > 0)

    def failed(self):
        return self.example["outcome"] == "failed"

    def applied(self):
        return self.example["outcome"] == "applied"

    def any_rewrite(self, name):
        return any(self.rewrote(s, name) for s in self.statements())

    def finding(self, rule):
        return any(f["rule"] == rule for f in self.findings)


# rule -> the claims of its message (bad) and of its help (good).
CASES = {
    "add-column-not-null-without-default": dict(
        setup=BOOKINGS_NO_STATUS,
        bad=lambda T: T.failed(),  # "fails on a table that has rows"
        good=lambda T: T.applied() and not T.any_rewrite("bookings")),
    "add-column-volatile-default": dict(
        setup=BOOKINGS,
        bad=lambda T: T.rewrote(T.stmt("ADD COLUMN"), "bookings"),
        good=lambda T: T.applied() and not T.any_rewrite("bookings")),
    "add-exclusion-constraint": dict(
        setup="CREATE EXTENSION btree_gist;\n" + BOOKINGS.replace("ANALYZE;\n", ""),
        good_setup="CREATE EXTENSION btree_gist;\n",
        bad=lambda T: T.takes(T.stmt("EXCLUDE"), "bookings", "AccessExclusiveLock")
        and T.scanned(T.stmt("EXCLUDE"), "bookings"),
        good=lambda T: T.applied()),
    "add-unique-constraint": dict(
        setup=BOOKINGS,
        bad=lambda T: T.takes(T.stmt("UNIQUE (email)"), "users", "AccessExclusiveLock")
        and T.scanned(T.stmt("UNIQUE (email)"), "users"),
        good=lambda T: T.below(T.stmt("CONCURRENTLY"), "users", "ShareLock")
        and not T.scanned(T.stmt("USING INDEX"), "users")),
    "alter-domain-constraint": dict(
        setup=DOMAIN,
        bad=lambda T: T.scanned(T.stmt("ADD CONSTRAINT"), "contacts")
        and T.takes(T.stmt("ADD CONSTRAINT"), "contacts", "ShareLock"),
        # NOT VALID: the ADD reads nothing; the VALIDATE reads every row, and on
        # PostgreSQL 15 still under SHARE (the help says so).
        good=lambda T: not T.scanned(T.stmt("NOT VALID"), "contacts")
        and T.scanned(T.stmt("VALIDATE"), "contacts")
        and T.takes(T.stmt("VALIDATE"), "contacts", "ShareLock")),
    "blocking-maintenance": dict(
        setup=BOOKINGS,
        bad=lambda T: T.rewrote(T.stmt("VACUUM FULL"), "bookings")
        and T.takes(T.stmt("VACUUM FULL"), "bookings", "AccessExclusiveLock")
        and T.takes(T.stmt("REINDEX"), "bookings", "ShareLock")
        and T.takes(T.stmt("REFRESH"), "booking_stats", "AccessExclusiveLock"),
        good=lambda T: T.below(T.stmt("REINDEX"), "bookings", "ShareLock")
        and T.below(T.stmt("REFRESH"), "booking_stats", "AccessExclusiveLock")),
    "column-type-rewrite": dict(
        setup=EVENTS,
        bad=lambda T: T.rewrote(T.stmt("TYPE bigint"), "events"),
        good=lambda T: T.applied() and not T.any_rewrite("events")),
    "concurrently-in-transaction": dict(
        setup=BOOKINGS_NO_INDEX,
        bad=lambda T: T.failed(),  # "it would fail"
        good=lambda T: T.applied()),
    "constraint-not-valid": dict(
        setup=BOOKINGS,
        bad=lambda T: T.scanned(T.stmt("FOREIGN KEY"), "bookings")
        and T.takes(T.stmt("FOREIGN KEY"), "bookings", "ShareRowExclusiveLock")
        and T.takes(T.stmt("FOREIGN KEY"), "users", "ShareRowExclusiveLock"),
        good=lambda T: not T.scanned(T.stmt("NOT VALID"), "bookings")
        and T.below(T.stmt("VALIDATE"), "bookings", "ShareLock")
        and T.scanned(T.stmt("VALIDATE"), "bookings")),
    "detach-partition": dict(
        setup=PARTITIONS,
        bad=lambda T: T.takes(T.stmt("DETACH"), "measurements", "AccessExclusiveLock"),
        good=lambda T: T.applied()
        and T.below(T.stmt("DETACH"), "measurements", "AccessExclusiveLock")),
    "foreign-key-without-index": dict(
        setup=BOOKINGS_NO_INDEX,
        # a user no booking references: the delete succeeds after the check
        probe="INSERT INTO users VALUES (100000, 'new@x');\nDELETE FROM users WHERE id = 100000;\n",
        # "deletes and key updates on users scan bookings"
        bad=lambda T: T.scanned(T.stmt("DELETE", "probe"), "bookings"),
        good=lambda T: not T.scanned(T.stmt("DELETE", "probe"), "bookings")),
    "idempotent-ddl": dict(
        setup=BOOKINGS,
        # "fails when the migration runs again": verify applies it twice.
        bad=lambda T: T.finding("verify-not-idempotent"),
        good=lambda T: T.applied() and not T.finding("verify-not-idempotent")),
    "lock-held-across-statements": dict(
        setup=ORDERS,
        bad=lambda T: "AccessExclusiveLock" in T.rel(T.stmt("UPDATE"), "orders")["held"],
        good=lambda T: "AccessExclusiveLock" not in T.rel(T.stmt("UPDATE"), "orders")["held"]),
    "require-concurrent-index": dict(
        setup=BOOKINGS_NO_INDEX,
        bad=lambda T: T.takes(T.stmt("CREATE INDEX"), "bookings", "ShareLock"),
        good=lambda T: T.below(T.stmt("CREATE INDEX"), "bookings", "ShareLock")),
    "require-concurrent-index-drop": dict(
        setup=BOOKINGS,
        bad=lambda T: T.takes(T.stmt("DROP INDEX"), "bookings", "AccessExclusiveLock"),
        good=lambda T: T.below(T.stmt("DROP INDEX"), "bookings", "ShareLock")),
    "require-lock-timeout": dict(
        setup=BOOKINGS,
        bad=lambda T: T.takes(T.stmt("ADD COLUMN"), "bookings", "ShareLock"),
        good=lambda T: T.applied()),
    "require-statement-timeout": dict(
        setup=ORDERS,
        bad=lambda T: T.rewrote(T.stmt("TYPE bigint"), "orders"),
        good=lambda T: T.applied()),
    "set-not-null": dict(
        setup=BOOKINGS,
        bad=lambda T: T.scanned(T.stmt("SET NOT NULL"), "bookings")
        and T.takes(T.stmt("SET NOT NULL"), "bookings", "AccessExclusiveLock"),
        # PostgreSQL 12+: the validated CHECK proves it, no scan.
        good=lambda T: not T.scanned(T.stmt("SET NOT NULL"), "bookings")),
    "table-rewrite": dict(
        setup=EVENTS,
        bad=lambda T: T.rewrote(T.stmt("SET UNLOGGED"), "events")
        and T.takes(T.stmt("SET UNLOGGED"), "events", "AccessExclusiveLock"),
        good=lambda T: T.applied() and not T.any_rewrite("events")
        and T.below(T.stmt("CREATE UNLOGGED"), "events", "ShareLock")),
}

# Claims of messages beyond the metadata examples (the classes).
EXTRA = [
    ("constraint-not-valid", "bad", BOOKINGS,
     "BEGIN;\nALTER TABLE bookings ADD CONSTRAINT bookings_user_fk FOREIGN KEY (user_id)\n"
     "    REFERENCES users (id) NOT VALID;\nALTER TABLE bookings VALIDATE CONSTRAINT bookings_user_fk;\n"
     "COMMIT;\n",
     # the validation scans under the SHARE ROW EXCLUSIVE the ADD still holds
     lambda T: T.scanned(T.stmt("VALIDATE"), "bookings")
     and T.takes(T.stmt("VALIDATE"), "bookings", "ShareRowExclusiveLock")),
    ("constraint-not-valid", "bad", BOOKINGS,
     "ALTER TABLE bookings ADD COLUMN nights int CHECK (nights > 0);\n",
     lambda T: T.scanned(T.stmt("CHECK"), "bookings")),
    ("constraint-not-valid", "bad", BOOKINGS,
     "ALTER TABLE bookings ADD COLUMN owner_id bigint DEFAULT 1 REFERENCES users (id);\n",
     lambda T: T.scanned(T.stmt("REFERENCES"), "bookings")),
    ("constraint-not-valid", "good", BOOKINGS,
     "ALTER TABLE bookings ADD COLUMN owner_id bigint REFERENCES users (id);\n",
     # no default: every row is NULL and PostgreSQL skips the validation
     lambda T: not T.scanned(T.stmt("REFERENCES"), "bookings")),
    ("add-unique-constraint", "bad",
     "CREATE TABLE accounts (id bigint, name text);\n"
     f"INSERT INTO accounts SELECT g, 'a' FROM {ROWS};\n"
     "CREATE UNIQUE INDEX accounts_id_idx ON accounts (id);\n",
     "ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_id_idx;\n",
     lambda T: T.scanned(T.stmt("PRIMARY KEY"), "accounts")),
    ("add-unique-constraint", "good",
     "CREATE TABLE accounts (id bigint NOT NULL, name text);\n"
     f"INSERT INTO accounts SELECT g, 'a' FROM {ROWS};\n"
     "CREATE UNIQUE INDEX accounts_id_idx ON accounts (id);\n",
     "ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_id_idx;\n",
     lambda T: not T.scanned(T.stmt("PRIMARY KEY"), "accounts")),
    ("require-lock-timeout", "bad", "CREATE VIEW active_users AS SELECT 1 AS id;\n",
     "DROP VIEW IF EXISTS active_users;\n",
     lambda T: T.takes(T.stmt("DROP VIEW"), "active_users", "AccessExclusiveLock")),
    ("table-rewrite", "bad", EVENTS, "ALTER TABLE events SET ACCESS METHOD heap2;\n",
     lambda T: T.rewrote(T.stmt("ACCESS METHOD"), "events")),
    # The disagreement classes bench/verify_agreement.py found on the corpus.
    ("column-type-rewrite", "bad",
     "CREATE TABLE stamps (id int, at timestamp);\n"
     f"INSERT INTO stamps SELECT g, now() FROM {ROWS};\n",
     # a rewrite unless the session TimeZone is UTC: either is what was said
     "ALTER TABLE stamps ALTER COLUMN at TYPE timestamptz;\n",
     lambda T: T.applied()),
    ("require-lock-timeout", "bad",
     BOOKINGS + "CREATE VIEW booking_rooms AS SELECT room_id FROM bookings;\n"
     "CREATE MATERIALIZED VIEW room_list AS SELECT * FROM booking_rooms;\n",
     # CASCADE drops the materialized view built on the view
     "DROP VIEW booking_rooms CASCADE;\n",
     lambda T: T.takes(T.stmt("DROP VIEW"), "room_list", "AccessExclusiveLock")),
    ("drop-column", "bad",
     BOOKINGS + "ALTER TABLE bookings ADD CONSTRAINT bookings_user_fk FOREIGN KEY (user_id)\n"
     "    REFERENCES users (id);\n",
     # the foreign key's triggers on users go with the column
     "ALTER TABLE bookings DROP COLUMN user_id;\n",
     lambda T: T.takes(T.stmt("DROP COLUMN"), "users", "AccessExclusiveLock")),
    ("require-lock-timeout", "bad", BOOKINGS,
     # the materialized view made again is a new relation: nothing of it rewritten
     "DROP MATERIALIZED VIEW booking_stats;\n"
     "CREATE MATERIALIZED VIEW booking_stats AS SELECT room_id, count(*) AS n FROM bookings\n"
     "    GROUP BY room_id;\n"
     "CREATE UNIQUE INDEX booking_stats_room ON booking_stats (room_id);\n",
     lambda T: not T.rewrote(T.stmt("CREATE UNIQUE INDEX"), "booking_stats")
     and not T.rewrote(T.stmt("CREATE MATERIALIZED VIEW"), "booking_stats")),
    ("table-rewrite", "good", EVENTS,
     # IF EXISTS of a trigger that is not there: no lock kept
     "DROP TRIGGER IF EXISTS events_audit ON events;\n",
     lambda T: T.below(T.stmt("DROP TRIGGER"), "events", "ShareLock")),
    ("column-type-rewrite", "bad",
     ORDERS + "CREATE TABLE lines (id int PRIMARY KEY, order_id int REFERENCES orders (id));\n"
     f"INSERT INTO lines SELECT g, g FROM {ROWS};\n",
     # the foreign key is rebuilt: ACCESS EXCLUSIVE on the table it points at
     "ALTER TABLE lines ALTER COLUMN order_id TYPE bigint;\n",
     lambda T: T.takes(T.stmt("ALTER TABLE lines"), "orders", "AccessExclusiveLock")),
    ("column-type-rewrite", "bad",
     ORDERS + "CREATE TABLE lines (id int PRIMARY KEY, order_id int REFERENCES orders (id));\n"
     f"INSERT INTO lines SELECT g, g FROM {ROWS};\n",
     # ... and the keys pointing at the column, on the tables that hold them
     "ALTER TABLE orders ALTER COLUMN id TYPE bigint;\n",
     lambda T: T.takes(T.stmt("ALTER TABLE orders"), "lines", "AccessExclusiveLock")),
    ("blocking-maintenance", "bad", BOOKINGS,
     # the refresh's query reads bookings, under what the transaction holds
     "BEGIN;\nLOCK TABLE bookings IN SHARE MODE;\nREFRESH MATERIALIZED VIEW booking_stats;\nCOMMIT;\n",
     lambda T: T.rewrote(T.stmt("REFRESH"), "booking_stats")),
    ("idempotent-ddl", "good", EVENTS,
     # the column is there: IF NOT EXISTS skips it, nothing is rewritten
     "ALTER TABLE events ADD COLUMN IF NOT EXISTS name text DEFAULT random()::text;\n",
     lambda T: not T.rewrote(T.stmt("ADD COLUMN"), "events")),
    ("drop-index", "bad",
     ORDERS + "CREATE TABLE codes (id int, code text);\n"
     "CREATE UNIQUE INDEX codes_code ON codes (code);\n"
     "CREATE TABLE uses (id int, code text REFERENCES codes (code));\n",
     # CASCADE drops the foreign key that relies on the index, on uses too
     "DROP INDEX codes_code CASCADE;\n",
     lambda T: T.takes(T.stmt("DROP INDEX"), "uses", "AccessExclusiveLock")),
    ("alter-column-type", "good",
     "CREATE TABLE keywords (id int, keyword varchar(50) UNIQUE);\n"
     f"INSERT INTO keywords SELECT g, 'k' || g FROM {ROWS};\n",
     # catalog only: no rewrite, though the unique index is checked again
     "ALTER TABLE keywords ALTER COLUMN keyword TYPE text;\n",
     lambda T: not T.rewrote(T.stmt("ALTER TABLE"), "keywords")),
]
# SET ACCESS METHOD needs a second heap access method to exist.
EXTRA_SETUP = {"ACCESS METHOD heap2": "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;\n"}

UNTESTABLE_ON_15 = [
    "add-column-volatile-default: before PostgreSQL 11 any DEFAULT rewrites the table",
    "set-not-null: before PostgreSQL 12 a validated CHECK does not spare the scan",
    "blocking-maintenance: REINDEX CONCURRENTLY is missing before PostgreSQL 12",
    "detach-partition: DETACH ... CONCURRENTLY is missing before PostgreSQL 14",
    "table-rewrite: SET ACCESS METHOD fails before PostgreSQL 15",
    "alter-domain-constraint: from PostgreSQL 18 VALIDATE takes SHARE UPDATE EXCLUSIVE",
]
