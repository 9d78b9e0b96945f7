CREATE TABLE a (id int;
DROP TABLE users;
