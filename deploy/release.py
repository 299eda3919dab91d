#!/usr/bin/env python3
"""Progressive rollout of one Cloud Run service to an image digest, with automatic rollback.

    python deploy/release.py --service paytungan-api --container api --region asia-southeast1 \\
        --image asia-southeast1-docker.pkg.dev/p/paytungan/api@sha256:... --steps 10,50,100

1. Record the traffic split now serving (the rollback target).
2. `gcloud run services update --image --no-traffic --tag canary`: a new revision that serves
   nothing except on its tagged URL. Only the image changes: everything else (env, secrets,
   scaling, probes) is Terraform's (docs/decisions/0012-terraform-owns-services-promote-digest.md).
3. Check the new revision runs exactly the digest asked for, then smoke-test the tagged URL with
   the real journey (deploy/smoke.py). A failure here ends the release; no traffic ever moved.
4. For each step (10 %, 50 %, 100 %): shift traffic, wait --soak seconds, smoke the tagged URL
   again and count the new revision's 5xx answers in Cloud Logging. Either failing restores the
   recorded split (automatic rollback) and exits 1. The last step is `--to-latest`, so a later
   `terraform apply` (a new revision with new env) takes traffic the usual way.

Re-running is safe: the tag `canary` moves to the newest revision, the image is a digest.
Exit status: 0 promoted, 1 failed (rolled back, or never shifted), 2 usage/precondition error.
Every gcloud call goes through run_gcloud(), so deploy/tests/ runs this script against a local
`gcloud` that records calls (GCP cannot run there) and a real app behind the tagged URL.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DIGEST = re.compile(r"^[a-z0-9.-]+(:\d+)?/[\w./-]+@sha256:[0-9a-f]{64}$")
# https://SERVICE-PROJECT_NUMBER.REGION.run.app (not the older SERVICE-HASH-REGION.a.run.app).
DETERMINISTIC_URL = re.compile(r"^https://[a-z0-9-]+-\d+\.(?!a\.run\.app$)[a-z0-9-]+\.run\.app$")


class ReleaseError(Exception):
    pass


def log(message: str, **fields: Any) -> None:
    print(json.dumps({"release": message, **fields}), flush=True)


def run_gcloud(*args: str) -> Any:
    command = ["gcloud", *args, "--format=json", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    if done.returncode != 0:
        raise ReleaseError(
            f"{shlex.join(command)} failed ({done.returncode}): {done.stderr[-800:]}"
        )
    return json.loads(done.stdout) if done.stdout.strip() else None


def serving_split(service: dict[str, Any]) -> dict[str, int]:
    """Revision -> percent of what serves now (LATEST resolved to its revision)."""
    split: dict[str, int] = {}
    for entry in service.get("status", {}).get("traffic", []):
        percent = int(entry.get("percent") or 0)
        if percent:
            split[entry["revisionName"]] = split.get(entry["revisionName"], 0) + percent
    return split


def tagged(service: dict[str, Any], tag: str) -> tuple[str, str]:
    """(revision, URL to smoke) of the tag.

    Cloud Run reports a tag's URL on the service's original host
    (TAG---SERVICE-HASH-REGION.a.run.app), which Terraform cannot know before the service exists,
    so it is not in ALLOWED_HOSTS and the app would refuse the journey (400). The tag answers on
    the deterministic host too (TAG---SERVICE-PROJECT_NUMBER.REGION.run.app, listed in run.tf's
    api_hosts): when the service's `run.googleapis.com/urls` annotation names that host, the
    smoke goes there. A wrong guess fails closed: the tagged smoke fails, no traffic moves.
    """
    for entry in service.get("status", {}).get("traffic", []):
        if entry.get("tag") == tag:
            revision, reported = entry["revisionName"], entry.get("url", "")
            break
    else:
        raise ReleaseError(f"no revision carries the tag {tag!r} after the update")
    annotations = service.get("metadata", {}).get("annotations", {})
    try:
        urls = json.loads(annotations.get("run.googleapis.com/urls", "[]"))
    except ValueError:
        urls = []
    for url in urls if isinstance(urls, list) else []:
        if isinstance(url, str) and DETERMINISTIC_URL.match(url):
            return revision, url.replace("https://", f"https://{tag}---", 1)
    if not reported:
        raise ReleaseError(f"the tag {tag!r} has no URL to smoke")
    return revision, reported


def assignment(split: dict[str, int]) -> str:
    return ",".join(f"{revision}={percent}" for revision, percent in split.items())


def shifted(previous: dict[str, int], new: str, percent: int) -> dict[str, int]:
    """new gets percent; the previous revisions keep their proportions of the rest, exactly."""
    rest = 100 - percent
    total = sum(previous.values())
    split = {new: percent}
    shares = {r: p * rest // total for r, p in previous.items()}
    # Integer shares: the remainder goes to the largest previous revision so the sum is 100.
    shares[max(previous, key=lambda r: previous[r])] += rest - sum(shares.values())
    split.update({r: p for r, p in shares.items() if p})
    return split


def smoke(command: str, url: str) -> dict[str, Any]:
    done = subprocess.run(
        [*shlex.split(command), url], capture_output=True, text=True, check=False, timeout=300
    )
    try:
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        result = {"ok": False, "error": f"smoke printed no verdict: {done.stderr[-400:]}"}
    result["ok"] = bool(result.get("ok")) and done.returncode == 0
    return result


def error_ratio(args: argparse.Namespace, revision: str) -> tuple[int, int]:
    """(5xx, all) request-log entries of the revision in the last soak window (Cloud Logging)."""
    base = (
        'resource.type="cloud_run_revision" AND log_id("run.googleapis.com/requests") AND '
        f'resource.labels.service_name="{args.service}" AND '
        f'resource.labels.revision_name="{revision}"'
    )
    window = f"--freshness={max(args.soak, 60)}s"
    limit = f"--limit={args.log_limit}"
    failed = run_gcloud("logging", "read", f"{base} AND httpRequest.status>=500", window, limit)
    every = run_gcloud("logging", "read", base, window, limit)
    return len(failed or []), len(every or [])


def check(args: argparse.Namespace, revision: str, url: str, stage: str) -> str | None:
    """None when healthy, else why not (from a real smoke run and the revision's request log)."""
    verdict = smoke(args.smoke, url)
    log("smoke", stage=stage, ok=verdict["ok"], seconds=verdict.get("seconds"))
    if not verdict["ok"]:
        return f"smoke failed at {stage}: {verdict.get('error')}"
    if stage == "tagged":
        return None
    errors, total = error_ratio(args, revision)
    log("errors", stage=stage, errors=errors, requests=total)
    if total >= args.min_requests and errors / total > args.max_error_ratio:
        return f"{errors}/{total} requests answered 5xx at {stage} (> {args.max_error_ratio:.1%})"
    return None


def release(args: argparse.Namespace) -> int:
    region = f"--region={args.region}"
    before = run_gcloud("run", "services", "describe", args.service, region)
    previous = serving_split(before)
    log("serving", split=previous)

    # Service flags first: gcloud applies the flags after --container to that container.
    update = ["run", "services", "update", args.service, region, "--no-traffic"]
    update.append(f"--tag={args.tag}")
    if args.container:
        update.append(f"--container={args.container}")
    run_gcloud(*update, f"--image={args.image}")
    after = run_gcloud("run", "services", "describe", args.service, region)
    revision, url = tagged(after, args.tag)
    log("deployed", revision=revision, url=url)

    described = run_gcloud("run", "revisions", "describe", revision, region)
    images = [c.get("image") for c in described.get("spec", {}).get("containers", [])]
    if args.image not in images:
        log("failed", reason=f"revision {revision} runs {images}, not {args.image}")
        return 1

    problem = check(args, revision, url, "tagged")
    if problem:
        log("failed", reason=problem, traffic="unchanged", split=previous)
        return 1

    # A re-run with the digest already serving: gcloud names a new revision whenever --tag is
    # given, but should Cloud Run keep the serving one, only the rest of the split may move
    # (the whole of it is still the rollback target).
    others = {r: p for r, p in previous.items() if r != revision}
    try:
        for percent in args.steps:
            if percent >= 100 or not others:
                run_gcloud("run", "services", "update-traffic", args.service, region, "--to-latest")
                stage = "100%"
            else:
                split = shifted(others, revision, percent)
                run_gcloud(
                    "run", "services", "update-traffic", args.service, region,
                    f"--to-revisions={assignment(split)}",
                )  # fmt: skip
                stage = f"{percent}%"
            log("shifted", stage=stage)
            time.sleep(args.soak)
            problem = check(args, revision, url, stage)
            if problem:
                return rollback(args, previous, problem)
            if stage == "100%":
                break
    except ReleaseError as error:
        # Traffic may have moved: a failed shift or an unreadable log is not a healthy release.
        return rollback(args, previous, str(error))
    log("promoted", revision=revision)
    return 0


def rollback(args: argparse.Namespace, previous: dict[str, int], problem: str) -> int:
    log("rolling back", reason=problem, to=previous)
    if not previous:
        log("failed", reason=f"{problem}; nothing served before this release to roll back to")
        return 1
    run_gcloud(
        "run", "services", "update-traffic", args.service, f"--region={args.region}",
        f"--to-revisions={assignment(previous)}",
    )  # fmt: skip
    log("rolled back", split=previous)
    return 1


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--service", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--image", required=True, help="REGISTRY/PATH@sha256:DIGEST")
    parser.add_argument("--container", default="", help="container to update (multi-container)")
    parser.add_argument("--tag", default="canary")
    parser.add_argument("--steps", default="10,50,100")
    parser.add_argument(
        "--soak", type=int, default=60, help="seconds between a shift and its check"
    )
    parser.add_argument("--max-error-ratio", type=float, default=0.02)
    parser.add_argument("--min-requests", type=int, default=20, help="fewer: the ratio is noise")
    parser.add_argument("--log-limit", type=int, default=5000)
    parser.add_argument("--smoke", default=f"{sys.executable} {HERE / 'smoke.py'}")
    args = parser.parse_args(argv)
    if not DIGEST.match(args.image):
        parser.error(f"--image must be pinned by digest (…@sha256:…), got {args.image!r}")
    args.steps = [int(s) for s in args.steps.split(",")]
    if args.steps != sorted(args.steps) or args.steps[-1] != 100 or args.steps[0] <= 0:
        parser.error("--steps must rise to 100, e.g. 10,50,100")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    try:
        return release(args)
    except ReleaseError as error:
        log("failed", reason=str(error))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
