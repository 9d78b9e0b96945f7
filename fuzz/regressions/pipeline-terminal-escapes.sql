CREATE TABLE "]8;;http://xevil]8;;" (id int);
ALTER TABLE "[2J" ADD COLUMN "‮" int NOT NULL;
