"""deploy/smoke.py and deploy/release.py against the real app.

The app runs as production runs it (gunicorn with deploy/gunicorn.conf.py, DEBUG=0) on
127.0.0.1:25000-25999 (DEPLOY_TEST_PORT_BASE moves them) against a database of its own in the
suite's throwaway PostgreSQL. Cloud Run cannot run here, so release.py talks to a local `gcloud`
(fake_gcloud.py) that keeps the service's traffic split and records every call; the tagged URL it
reports is that real app, so promotion and rollback follow real smoke results.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
IMAGE = "asia-southeast1-docker.pkg.dev/p/paytungan/api@sha256:" + "ab" * 32
OLD = "paytungan-api-00001-old"


def _port_base() -> int:
    base = int(os.environ.get("DEPLOY_TEST_PORT_BASE", "25000"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return base + 100 * (int(worker) if worker.isdigit() else 0)


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in this worker's range")


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    admin_url = os.environ["DATABASE_URL"]
    name = f"release_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_with_db(admin_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(admin_url, name)
    env = os.environ | {"DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "backend/manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    yield url
    with psycopg.connect(_with_db(admin_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def start_app(database: str) -> Iterator[Callable[[], tuple[str, subprocess.Popen[bytes]]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> tuple[str, subprocess.Popen[bytes]]:
        port = _free_port(_port_base() + len(started) * 3)
        env = os.environ | {
            "DATABASE_URL": database,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LISTEN_HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "2",
            "LOG_LEVEL": "WARNING",
            "REGISTRATIONS_PER_IP_PER_HOUR": "1000",  # every smoke registers from 127.0.0.1
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "paytungan.wsgi:application",
             "--config", str(DEPLOY / "gunicorn.conf.py"), "--chdir", str(ROOT / "backend")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/health/ready", timeout=2) as r:
                    if r.status == 200:
                        return url, process
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the app did not become ready") from None
                time.sleep(0.2)

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def app_url(start_app: Callable[[], tuple[str, subprocess.Popen[bytes]]]) -> str:
    return start_app()[0]


@pytest.fixture
def dead_url() -> str:
    return f"http://127.0.0.1:{_free_port(_port_base() + 90)}"  # nothing listens there


def smoke(url: str, *flags: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, str(DEPLOY / "smoke.py"), *flags, url],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout)


# --- smoke.py ------------------------------------------------------------------------------------
def test_the_smoke_journey_passes_against_the_app_and_leaves_nothing(app_url, database):
    status, result = smoke(app_url)
    assert (status, result["ok"]) == (0, True), result
    assert result["steps"] == [
        "ready", "csrf", "register", "login", "me", "create-group", "add-guest", "create-bill",
        "balances", "delete-bill", "delete-group", "delete-user",
    ]  # fmt: skip
    with psycopg.connect(database) as db:
        users = db.execute("select count(*) from accounts_user where email like 'release-smoke-%'")
        assert users.fetchone() == (0,)
        groups = db.execute("select count(*) from groups_group where name like 'Release smoke%'")
        assert groups.fetchone() == (0,)


def test_the_smoke_uses_a_smoke_account_when_one_is_given(app_url, monkeypatch):
    email, password = f"smoke-{uuid.uuid4().hex[:8]}@example.com", "a-long-smoke-password-0192"
    register = subprocess.run(
        [sys.executable, "-c", (
            "import sys; sys.path.insert(0, 'deploy'); import smoke; "
            f"c = smoke.Client({app_url!r}); c.refresh_csrf(); "
            f"c.call('POST', '/api/auth/register', {{'email': {email!r}, "
            f"'password': {password!r}, 'name': 'Smoke'}}, expect=201)"
        )],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert register.returncode == 0, register.stderr
    monkeypatch.setenv("SMOKE_EMAIL", email)
    monkeypatch.setenv("SMOKE_PASSWORD", password)
    status, result = smoke(app_url)
    assert status == 0, result
    assert "register" not in result["steps"]
    assert "delete-user" not in result["steps"]


def test_the_smoke_fails_with_a_verdict_when_nothing_answers(dead_url):
    status, result = smoke(dead_url)
    assert status == 1
    assert result["ok"] is False
    assert result["steps"] == ["ready"]
    assert "Connection refused" in result["error"] or "URLError" in result["error"]


def test_the_smoke_fails_on_a_wrong_password_for_the_smoke_account(app_url, monkeypatch):
    monkeypatch.setenv("SMOKE_EMAIL", "nobody-here@example.com")
    monkeypatch.setenv("SMOKE_PASSWORD", "not-the-password-at-all-123")
    status, result = smoke(app_url)
    assert status == 1
    assert result["steps"][-1] == "login"
    assert "/api/auth/login: 40" in result["error"]


def test_health_mode_only_checks_readiness(app_url):
    status, result = smoke(app_url, "--health")
    assert (status, result["steps"]) == (0, ["ready"])


# --- release.py ----------------------------------------------------------------------------------
class Fake:
    def __init__(self, tmp: Path, canary_url: str, **state: Any) -> None:
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        gcloud = bin_dir / "gcloud"
        gcloud.write_text(
            f"#!{sys.executable}\n" + (DEPLOY / "tests" / "fake_gcloud.py").read_text()
        )
        gcloud.chmod(0o755)
        self.state_path, self.calls_path = tmp / "state.json", tmp / "calls.jsonl"
        self.calls_path.write_text("")
        self.state_path.write_text(json.dumps({
            "revisions": {OLD: {"image": "old@sha256:" + "0" * 64}},
            "latest": OLD,
            "traffic": [{"revisionName": OLD, "percent": 100, "latestRevision": True}],
            "canary_url": canary_url,
            "errors_5xx": 0,
            "requests": 0,
        } | state))  # fmt: skip
        self.env = os.environ | {
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "FAKE_GCLOUD_STATE": str(self.state_path),
            "FAKE_GCLOUD_CALLS": str(self.calls_path),
        }

    def release(self, *extra: str) -> tuple[int, list[dict[str, Any]]]:
        done = subprocess.run(
            [sys.executable, str(DEPLOY / "release.py"), "--service=paytungan-api",
             "--region=asia-southeast1", f"--image={IMAGE}", "--container=api", "--soak=0",
             *extra],
            env=self.env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        return done.returncode, [json.loads(line) for line in done.stdout.splitlines() if line]

    @property
    def calls(self) -> list[list[str]]:
        return [json.loads(line) for line in self.calls_path.read_text().splitlines()]

    def traffic_calls(self) -> list[str]:
        return [c[5] for c in self.calls if c[:3] == ["run", "services", "update-traffic"]]

    @property
    def state(self) -> dict[str, Any]:
        return json.loads(self.state_path.read_text())


NEW = "paytungan-api-00002-new"


def test_a_healthy_release_moves_traffic_in_steps_to_latest(tmp_path, app_url):
    fake = Fake(tmp_path, app_url, requests=100, errors_5xx=1)  # 1 % 5xx: under the 2 % bar
    status, lines = fake.release()
    assert status == 0, lines
    update = next(c for c in fake.calls if c[:3] == ["run", "services", "update"])
    assert f"--image={IMAGE}" in update
    assert "--no-traffic" in update
    assert "--tag=canary" in update
    # gcloud applies the flags after --container to that container: service flags come first.
    assert update.index("--no-traffic") < update.index("--container=api")
    assert update.index("--container=api") < update.index(f"--image={IMAGE}")
    assert fake.traffic_calls() == [
        f"--to-revisions={NEW}=10,{OLD}=90",
        f"--to-revisions={NEW}=50,{OLD}=50",
        "--to-latest",
    ]
    smokes = [line for line in lines if line["release"] == "smoke"]
    assert [s["stage"] for s in smokes] == ["tagged", "10%", "50%", "100%"]
    assert all(s["ok"] for s in smokes)
    assert lines[-1] == {"release": "promoted", "revision": NEW}


def test_a_revision_that_fails_its_tagged_smoke_never_gets_traffic(tmp_path, dead_url):
    fake = Fake(tmp_path, dead_url)
    status, lines = fake.release()
    assert status == 1
    assert fake.traffic_calls() == []
    assert lines[-1]["release"] == "failed"
    assert lines[-1]["traffic"] == "unchanged"
    assert {e["revisionName"]: e["percent"] for e in fake.state["traffic"]}[OLD] == 100


def test_a_revision_that_dies_after_taking_traffic_is_rolled_back(tmp_path, start_app):
    url, process = start_app()  # its own instance: the fake kills it on the first shift
    fake = Fake(tmp_path, url, kill_on_traffic=process.pid)
    status, lines = fake.release()
    assert status == 1, lines
    assert fake.traffic_calls() == [
        f"--to-revisions={NEW}=10,{OLD}=90",
        f"--to-revisions={OLD}=100",
    ]
    failed = next(line for line in lines if line["release"] == "smoke" and not line["ok"])
    assert failed["stage"] == "10%"
    serving = {e["revisionName"]: e["percent"] for e in fake.state["traffic"] if e["percent"]}
    assert serving == {OLD: 100}


def test_a_5xx_ratio_above_the_bar_rolls_back_even_when_the_smoke_passes(tmp_path, app_url):
    fake = Fake(tmp_path, app_url, requests=200, errors_5xx=9)  # 4.5 %
    status, lines = fake.release("--steps=25,100")
    assert status == 1
    assert fake.traffic_calls() == [
        f"--to-revisions={NEW}=25,{OLD}=75",
        f"--to-revisions={OLD}=100",
    ]
    assert "9/200 requests answered 5xx at 25%" in next(
        line["reason"] for line in lines if line["release"] == "rolling back"
    )


def test_a_revision_running_another_image_is_refused_before_any_traffic(tmp_path, app_url):
    fake = Fake(tmp_path, app_url, runs_image="other@sha256:" + "1" * 64)
    status, lines = fake.release()
    assert status == 1
    assert fake.traffic_calls() == []
    assert "not " + IMAGE in lines[-1]["reason"]


def test_a_split_before_the_release_is_restored_exactly(tmp_path, start_app):
    url, process = start_app()
    other = "paytungan-api-00000-older"
    fake = Fake(
        tmp_path, url, kill_on_traffic=process.pid,
        traffic=[{"revisionName": OLD, "percent": 70}, {"revisionName": other, "percent": 30}],
    )  # fmt: skip
    status, _ = fake.release()
    assert status == 1
    assert fake.traffic_calls() == [
        f"--to-revisions={NEW}=10,{OLD}=63,{other}=27",
        f"--to-revisions={OLD}=70,{other}=30",
    ]


def test_a_tag_instead_of_a_digest_is_refused(tmp_path, app_url):
    fake = Fake(tmp_path, app_url)
    done = subprocess.run(
        [sys.executable, str(DEPLOY / "release.py"), "--service=s", "--region=r",
         "--image=asia-southeast1-docker.pkg.dev/p/paytungan/api:latest"],
        env=fake.env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "pinned by digest" in done.stderr
    assert fake.calls == []


def recording_smoke(tmp: Path, app_url: str) -> tuple[str, Path]:
    """A --smoke command that records the URL release.py hands it, then runs the real journey
    against the local app (the run.app host it was given does not exist here)."""
    seen = tmp / "smoked.txt"
    script = tmp / "smoke_via.py"
    script.write_text(
        "import subprocess, sys\n"
        f"open({str(seen)!r}, 'a').write(sys.argv[-1] + '\\n')\n"
        f"sys.exit(subprocess.run([sys.executable, {str(DEPLOY / 'smoke.py')!r}, "
        f"*sys.argv[1:-1], {app_url!r}]).returncode)\n"
    )
    return f"{sys.executable} {script}", seen


def test_the_smoke_goes_to_the_tag_on_the_deterministic_host_allowed_hosts_lists(tmp_path, app_url):
    # Cloud Run reports the tag on the older hash host, which Terraform cannot put in
    # ALLOWED_HOSTS; run.tf lists canary---SERVICE-PROJECT_NUMBER.REGION.run.app instead.
    command, seen = recording_smoke(tmp_path, app_url)
    fake = Fake(
        tmp_path, "https://canary---paytungan-api-rri5nwu7ya-as.a.run.app",
        urls=["https://paytungan-api-123456789.asia-southeast1.run.app",
              "https://paytungan-api-rri5nwu7ya-as.a.run.app"],
    )  # fmt: skip
    status, lines = fake.release(f"--smoke={command}")
    assert status == 0, lines
    smoked = set(seen.read_text().split())
    assert smoked == {"https://canary---paytungan-api-123456789.asia-southeast1.run.app"}
    deployed = next(line for line in lines if line["release"] == "deployed")
    assert deployed["url"] == "https://canary---paytungan-api-123456789.asia-southeast1.run.app"


def test_without_a_deterministic_url_the_reported_tag_url_is_smoked(tmp_path, app_url):
    command, seen = recording_smoke(tmp_path, app_url)
    fake = Fake(
        tmp_path, "https://canary---x-abc-as.a.run.app", urls=["https://x-abc-as.a.run.app"]
    )
    status, lines = fake.release(f"--smoke={command}", "--steps=100")
    assert status == 0, lines
    assert set(seen.read_text().split()) == {"https://canary---x-abc-as.a.run.app"}


def test_a_rerun_with_the_digest_already_serving_promotes_without_a_broken_split(tmp_path, app_url):
    # Cloud Run keeps the serving revision when the template is unchanged: the tag lands on the
    # revision that already has 100 %, and no step may hand it less (or the rest to nobody).
    fake = Fake(
        tmp_path, app_url, keep_revision_on_same_image=True,
        revisions={OLD: {"image": IMAGE}},
    )  # fmt: skip
    status, lines = fake.release()
    assert status == 0, lines
    assert fake.traffic_calls() == ["--to-latest"]
    assert lines[-1] == {"release": "promoted", "revision": OLD}
    serving = {e["revisionName"]: e["percent"] for e in fake.state["traffic"] if e["percent"]}
    assert serving == {OLD: 100}
