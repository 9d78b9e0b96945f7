SELECT '{{';
DROP TABLE users;
SELECT '}}';
