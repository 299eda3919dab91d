"""A local stand-in for the `gcloud` commands deploy/release.py uses, installed as `gcloud` on
PATH by the tests: it keeps a Cloud Run service's revisions and traffic split in a JSON state file
(FAKE_GCLOUD_STATE), applies updates the way Cloud Run does, and appends every call's argv to
FAKE_GCLOUD_CALLS. The tagged URL it reports is a real app the test started; what the release
decides comes from smoking that app."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    state_path = Path(os.environ["FAKE_GCLOUD_STATE"])
    state = json.loads(state_path.read_text())
    with open(os.environ["FAKE_GCLOUD_CALLS"], "a") as calls:
        calls.write(json.dumps(argv) + "\n")
    args = [a for a in argv if a not in ("--format=json", "--quiet")]
    flags = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
    words = [a for a in args if not a.startswith("--")]
    out: object = None
    traffic = state["traffic"]
    if words[:3] == ["run", "services", "describe"]:
        out = {"status": {"traffic": traffic, "latestCreatedRevisionName": state["latest"]}}
        if "urls" in state:  # what Cloud Run reports: the deterministic URL and the older one
            out["metadata"] = {
                "annotations": {"run.googleapis.com/urls": json.dumps(state["urls"])}
            }
    elif words[:3] == ["run", "services", "update"]:
        if state.get("fail_update"):
            print("ERROR: (gcloud.run.services.update) revision failed to start", file=sys.stderr)
            return 1
        tag = flags["tag"]
        if state.get("keep_revision_on_same_image") and (
            state["revisions"][state["latest"]]["image"] == flags["image"]
        ):
            # The template did not change: no new revision; the tag moves to the latest one.
            for entry in traffic:
                if entry.get("tag") == tag:
                    del entry["tag"], entry["url"]
            serving = next(e for e in traffic if e["revisionName"] == state["latest"])
            serving.update(tag=tag, url=state["canary_url"])
            serving.pop("latestRevision", None)
            state_path.write_text(json.dumps(state))
            return 0
        number = len(state["revisions"]) + 1
        new = f"paytungan-api-{number:05d}-new"
        state["revisions"][new] = {"image": state.get("runs_image") or flags["image"]}
        state["latest"] = new
        for entry in traffic:  # --no-traffic pins LATEST to the revision it named; tags move
            entry.pop("latestRevision", None)
            if entry.get("tag") == tag:
                del entry["tag"], entry["url"]
        traffic.append({"revisionName": new, "percent": 0, "tag": tag, "url": state["canary_url"]})
    elif words[:3] == ["run", "revisions", "describe"]:
        out = {"spec": {"containers": [{"image": state["revisions"][words[3]]["image"]}]}}
    elif words[:3] == ["run", "services", "update-traffic"]:
        tagged = [e for e in traffic if e.get("tag")]
        if "to-revisions" in flags:
            split = dict(part.split("=") for part in flags["to-revisions"].split(","))
        else:  # --to-latest
            split = {state["latest"]: "100"}
        kept = [dict(e, percent=int(split.pop(e["revisionName"], 0))) for e in tagged]
        state["traffic"] = kept + [
            {"revisionName": r, "percent": int(p)} for r, p in split.items() if int(p)
        ]
        if state.get("kill_on_traffic"):
            os.kill(state.pop("kill_on_traffic"), signal.SIGKILL)
    elif words[:2] == ["logging", "read"]:
        count = state["errors_5xx"] if "httpRequest.status>=500" in words[2] else state["requests"]
        out = [{"httpRequest": {}}] * count
    else:
        print(f"fake gcloud: unexpected call {argv}", file=sys.stderr)
        return 2
    state_path.write_text(json.dumps(state))
    if out is not None:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
