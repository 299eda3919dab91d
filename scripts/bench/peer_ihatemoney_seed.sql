-- ihatemoney 7.2.1's existing bills for the peer benchmark (docs/benchmarks.md, "Bill create
-- against a peer"), written set-based into its own PostgreSQL database instead of one API call
-- per bill (~30 ms each). Run by peer_bill_create.py after it has created the project and its
-- members through the API: psql -v project=ID -v bills=N -f this file.
--
-- The rows are the ones its API writes for the same request (checked against an API-made bill):
-- the shape of its tables comes from its alembic migrations and models.py. Bill i is "Dinner i"
-- on 2026-11-20, 120000 paid by member i mod n for members i..i+3 (mod n, weight 1 each, equal
-- split), no currency (XXX, converted_amount = amount), type EXPENSE, created today. Its project
-- logs history by default (logging_preference ENABLED), so each bill also gets what
-- SQLAlchemy-Continuum records on an insert: its own transaction row, a bill_version row and
-- billowers_version rows (operation_type 0 = insert, no end transaction). Ids come from its
-- sequences, so the API's next bill and transaction ids follow on.
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE seed_member ON COMMIT DROP AS
SELECT (row_number() OVER (ORDER BY id) - 1)::int AS k, id
FROM person WHERE project_id = :'project' AND activated;

CREATE TEMP TABLE seed_bill ON COMMIT DROP AS
SELECT i, nextval('bill_id_seq')::int AS bill_id, nextval('transaction_id_seq') AS tx_id
FROM generate_series(0, :bills - 1) AS i ORDER BY i;

CREATE TEMP TABLE seed_ower ON COMMIT DROP AS
SELECT s.bill_id, s.tx_id, m.id AS person_id, o.k AS place
FROM seed_bill s
CROSS JOIN generate_series(0, 3) AS o(k)
JOIN seed_member m ON m.k = (s.i + o.k) % (SELECT count(*) FROM seed_member);

INSERT INTO transaction (id, issued_at)
SELECT tx_id, now() AT TIME ZONE 'UTC' FROM seed_bill;

INSERT INTO bill (id, payer_id, amount, date, creation_date, what, external_link,
                  original_currency, converted_amount, bill_type)
SELECT s.bill_id, o.person_id, 120000, DATE '2026-11-20', current_date, 'Dinner ' || s.i, '',
       'XXX', 120000, 'EXPENSE'
FROM seed_bill s JOIN seed_ower o ON o.bill_id = s.bill_id AND o.place = 0;

INSERT INTO billowers (bill_id, person_id) SELECT bill_id, person_id FROM seed_ower;

INSERT INTO bill_version (id, payer_id, amount, date, creation_date, what, external_link,
                          transaction_id, operation_type, converted_amount, original_currency,
                          bill_type)
SELECT id, payer_id, amount, date, creation_date, what, external_link, b.id_tx, 0,
       converted_amount, original_currency, bill_type::text
FROM bill JOIN (SELECT bill_id, tx_id AS id_tx FROM seed_bill) b ON b.bill_id = bill.id;

INSERT INTO billowers_version (bill_id, person_id, transaction_id, operation_type)
SELECT bill_id, person_id, tx_id, 0 FROM seed_ower;

COMMIT;
ANALYZE bill;
ANALYZE billowers;
