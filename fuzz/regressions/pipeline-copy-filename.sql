COPY t FROM '/data/from stdin.csv';
DROP TABLE users;
