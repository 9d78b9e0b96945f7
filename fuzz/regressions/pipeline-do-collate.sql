DO $$
DECLARE x text COLLATE "C";
BEGIN
  DROP TABLE users;
END $$;
