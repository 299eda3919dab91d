"""Load-testing and capacity-planning tools (docs/capacity.md): the Locust journeys
(locustfile.py), the workload model (workload.yaml) and the planner (planner/). Tools, not the
product: nothing here is in the wheel or the image, and nothing in backend/paytungan imports it."""
