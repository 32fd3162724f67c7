-- Run once by the postgres image when its data volume is new (/docker-entrypoint-initdb.d):
-- the conversation store gets a database of its own (Rasa's `events` table and the services
-- database's `events` table must not meet). POSTGRES_DB (sundhedshus) is the services database.
CREATE DATABASE rasa_tracker OWNER sundhedshus;
