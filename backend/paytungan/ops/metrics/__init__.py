"""Prometheus metrics of the API (GET /metrics): per-route request counts and latency, database
queries, requests in flight, alert outbox depth. docs/capacity.md, "Metrics", says how to scrape
them and why the gunicorn multiprocess setup matters."""
