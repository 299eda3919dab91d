"""Usage analytics, like a hosting dashboard: requests, errors, bytes in and out per route and
day, and distinct active users per day. Counted in memory per process (recorder.py) and written in
batches to two compact daily tables (store.py); read by `manage.py usage_report` and the admin."""
