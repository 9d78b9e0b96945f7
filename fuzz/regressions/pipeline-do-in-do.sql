DO $$ BEGIN DO $x$ BEGIN DROP TABLE users; END $x$; END $$;
