"""Seed data outside the deployed package (decision 0022): the demo data `make run` loads
(`manage.py demo_data`), the bench group (`manage.py seed_bench`, scripts/bench*) and the bulk
groups of the capacity planner (capacity/planner/seed.py), all through the app's own services
and the bills' one writer (bills/store.py).

A Django app wherever a checkout has it: settings.py installs `tools.seed` when it can be
imported (manage.py and pytest put the repository root on the path); the production image
copies only backend/, so it has none of this.
"""
