"""Capacity planning (docs/capacity.md): load-test the API in rising steps, find the knee, and turn
it and a workload model into a plan. Plain Python: no Django import outside the seeding command.

workload.py  the workload model (YAML), validated       knee.py     step results and the knee
planner.py   the arithmetic of the plan                   runner.py   Locust headless, live progress
targets.py   the servers under test (URL, gunicorn, stack) report.py  report.md; charts.py the PNGs
cli.py       `paytungan-capacity` / `make capacity`        check.py    sanity checks of a report
"""
