COPY t FROM  stdin;
1	x
\.
DROP TABLE users;
