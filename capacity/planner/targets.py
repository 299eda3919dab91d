"""The servers a load test runs against.

UrlTarget    an existing deployment (staging): measured as it is, seeded beforehand
LocalTarget  one gunicorn instance (deploy/gunicorn.conf.py) on $DATABASE_URL, started and stopped
             here; what `make capacity-ci` uses on a throwaway PostgreSQL
StackTarget  the production shape on this machine, through scripts/stack.sh and its knobs only
             (STACK_INSTANCES, STACK_*_PORT, STACK_DIR): nginx + 1..N instances + PostgreSQL

Ports: none is fixed. With a port base (--port-base or CAPACITY_PORT_BASE) every port is the
first free one from there; without, the kernel picks free ones. A STACK_*_PORT set in the
environment is used as it is.

Servers started here run production settings (DEBUG=0) with three load-test changes: cookies
without the Secure flag (plain HTTP on loopback), a login limit per IP raised (every simulated user
comes from 127.0.0.1), and request logs at WARNING (the log would otherwise be the disk's load).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from capacity.planner.runner import Progress

HEALTH = "/api/health/ready"


def repo_root() -> Path:
    here = Path.cwd()
    if (here / "capacity" / "locustfile.py").is_file():
        return here
    return Path(__file__).resolve().parents[2]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def free_block(start: int, count: int, taken: set[int] | None = None) -> int:
    """The first port from `start` with `count` free ports in a row (none of them in `taken`);
    with `start` 0, from a port the kernel picks."""
    taken = taken if taken is not None else set()
    port = start or _kernel_port()
    while port < 65000:
        block = range(port, port + count)
        if not taken.intersection(block) and all(port_free(p) for p in block):
            taken.update(block)
            return port
        port += count
    raise RuntimeError(f"no {count} free ports in a row above {start}")


def _kernel_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def port_base() -> int:
    raw = os.environ.get("CAPACITY_PORT_BASE", "").strip()
    return int(raw) if raw.isdigit() else 0


def listening_pids(port: int) -> list[int]:
    """Processes holding the socket listening on 127.0.0.1/0.0.0.0:`port` (gunicorn's master and
    workers; PostgreSQL's postmaster), from /proc: whose CPU the load test measures."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(cols[9])
    wanted = {f"socket:[{inode}]" for inode in inodes}
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or not wanted:
            continue
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:
            continue  # not ours, or gone
        for fd in fds:
            try:
                link = os.readlink(fd)
            except OSError:
                continue  # closed meanwhile (the listing's own descriptor, for one)
            if link in wanted:
                pids.append(int(entry.name))
                break
    return sorted(pids)


def wait_http(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def scrape(url: str, token: str) -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            text: str = response.read().decode()
            return text
    except OSError:
        return ""


@dataclass(frozen=True)
class Setup:
    workers: int  # per instance
    threads: int
    workdir: Path  # logs, accounts file, Locust output
    progress: Progress
    port_base: int = 0  # 0: ports the kernel picks


class Target:
    name = "target"
    url = ""
    max_instances = 1
    metrics_token = ""

    def __init__(self, setup: Setup) -> None:
        self.workers, self.threads = setup.workers, setup.threads
        self.workdir, self.progress = setup.workdir, setup.progress
        self.port_base = setup.port_base
        self.root = repo_root()
        self.metrics_token = secrets.token_urlsafe(24)

    def server_env(self) -> dict[str, str]:
        return {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "EMAIL_BACKEND": "console",
            "LOG_LEVEL": "WARNING",
            "LOGIN_ATTEMPTS_PER_IP": "1000000",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "METRICS_TOKEN": self.metrics_token,
            "SENTRY_DSN": "",
        }

    def manage(self, env: dict[str, str], *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our manage.py, fixed arguments
            [sys.executable, str(self.root / "backend" / "manage.py"), *args],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        with (self.workdir / "server-setup.log").open("a") as log:
            log.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed: {result.stderr.strip()[-800:]}")
        return result.stdout

    def seed(self, env: dict[str, str], options: list[str]) -> Path:
        out = self.workdir / "accounts.json"
        self.progress.say(f"{self.name}: seeding load-test data ({' '.join(options)})")
        result = subprocess.run(  # noqa: S603 - our seeding script, fixed arguments
            [sys.executable, "-m", "capacity.planner.seed_command", *options, "--out", str(out)],
            env=env, cwd=self.root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        with (self.workdir / "server-setup.log").open("a") as log:
            log.write(f"$ seed {' '.join(options)}\n{result.stdout}{result.stderr}\n")
        if result.returncode:
            raise RuntimeError(f"seeding failed: {result.stderr.strip()[-800:]}")
        return out

    def start(self, seed_options: list[str]) -> Path:
        raise NotImplementedError

    def scale_to(self, instances: int) -> None:
        if instances != 1:
            raise RuntimeError(f"{self.name} runs one instance only")

    def metrics(self) -> list[str]:
        return []

    def cpu_pids(self) -> dict[str, list[int]]:
        """Process trees (roots) whose CPU time is measured: the server's, the database's."""
        return {}

    def stop(self) -> None:
        return None

    def describe(self) -> str:
        return self.name


class UrlTarget(Target):
    name = "url"

    def __init__(self, setup: Setup, url: str, accounts: Path | None) -> None:
        super().__init__(setup)
        self.url = url.rstrip("/")
        self.accounts = accounts

    def start(self, seed_options: list[str]) -> Path:
        if self.accounts is None or not self.accounts.is_file():
            raise RuntimeError(
                "a URL target needs --accounts: the file `python -m "
                "capacity.planner.seed_command` wrote against that deployment's database "
                "(docs/capacity.md, 'Staging')"
            )
        if not wait_http(self.url + HEALTH, 15):
            raise RuntimeError(f"{self.url}{HEALTH} does not answer 200")
        return self.accounts

    def describe(self) -> str:
        return f"the deployment at {self.url}"


class LocalTarget(Target):
    name = "local"

    def start(self, seed_options: list[str]) -> Path:
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError(
                "the local target needs DATABASE_URL (run it under scripts/with-postgres.sh)"
            )
        self.env = {**os.environ, **self.server_env()}
        self.progress.say("local: migrating")
        self.manage(self.env, "migrate", "--noinput", "-v0")
        accounts = self.seed(self.env, seed_options)
        port = free_block(self.port_base, 1)
        self.url = f"http://127.0.0.1:{port}"
        env = {**self.env, "PORT": str(port), "LISTEN_HOST": "127.0.0.1"}
        self.log = (self.workdir / "server-1.log").open("w")
        self.proc = subprocess.Popen(  # noqa: S603 - our venv's gunicorn, fixed arguments
            [
                str(Path(sys.executable).with_name("gunicorn")), "paytungan.wsgi:application",
                "--config", str(self.root / "deploy" / "gunicorn.conf.py"),
                "--chdir", str(self.root / "backend"),
            ],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        if not wait_http(self.url + HEALTH, 60):
            self.stop()
            raise RuntimeError(f"gunicorn did not become ready; see {self.workdir}/server-1.log")
        self.progress.say(f"local: 1 instance on {self.url}")
        return accounts

    def metrics(self) -> list[str]:
        return [scrape(self.url + "/metrics", self.metrics_token)]

    def cpu_pids(self) -> dict[str, list[int]]:
        db_port = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "")).port or 5432
        return {"server": [self.proc.pid], "db": listening_pids(db_port)}

    def stop(self) -> None:
        proc = getattr(self, "proc", None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)  # our gunicorn's own process group
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        self.log.close()

    def describe(self) -> str:
        return (
            f"one gunicorn instance ({self.workers} worker x {self.threads} threads, "
            "deploy/gunicorn.conf.py) on PostgreSQL, no proxy"
        )


class StackTarget(Target):
    name = "stack"

    def __init__(self, setup: Setup, max_instances: int) -> None:
        super().__init__(setup)
        self.max_instances = max_instances
        self.state = self.root / "var" / "capacity" / "stack"
        # Away from a developer's own `make stack` (8080, 8101.., 55432): free ports, from the
        # port base or the kernel, unless the environment names them.
        taken: set[int] = set()
        self.ports = {}
        for name, count in (("STACK_PORT", 1), ("STACK_API_PORT", max_instances),
                            ("STACK_RELAY_PORT", 1), ("STACK_FRONTEND_PORT", 1),
                            ("STACK_PG_PORT", 1)):  # fmt: skip
            given = os.environ.get(name, "").strip()
            self.ports[name] = int(given) if given else free_block(self.port_base, count, taken)
        self.url = f"http://127.0.0.1:{self.ports['STACK_PORT']}"

    @staticmethod
    def available() -> bool:
        root = repo_root()
        nginx = any(Path(p).is_file() for p in ("/usr/sbin/nginx", "/usr/bin/nginx"))
        return (root / "scripts" / "stack.sh").is_file() and (nginx or os.geteuid() == 0)

    def _stack(self, *args: str, instances: int = 1) -> None:
        env = {
            **os.environ,
            **self.server_env(),
            **{k: str(v) for k, v in self.ports.items()},
            "STACK_DIR": str(self.state),
            "STACK_INSTANCES": str(instances),
            "STACK_FRONTEND": "0",
        }
        env.pop("SECRET_KEY")  # the stack makes its own, kept while its instances run
        with (self.workdir / "stack.log").open("a") as log:
            log.write(f"$ scripts/stack.sh {' '.join(args)} (STACK_INSTANCES={instances})\n")
            log.flush()
            result = subprocess.run(  # noqa: S603 - the repository's stack script
                [str(self.root / "scripts" / "stack.sh"), *args],
                env=env, stdout=log, stderr=subprocess.STDOUT, check=False,
            )  # fmt: skip
        if result.returncode:
            raise RuntimeError(f"scripts/stack.sh {args[0]} failed; see {self.workdir}/stack.log")

    def _env_file(self) -> dict[str, str]:
        env = dict(os.environ)
        for line in (self.state / "env").read_text().splitlines():
            key, _, value = line.partition("=")
            if key and not key.startswith("#"):
                env[key] = value
        return env

    def start(self, seed_options: list[str]) -> Path:
        self.progress.say(f"stack: fresh state in {self.state}; 1 instance behind nginx")
        self._stack("down", "--purge")
        self._stack("up", instances=1)
        return self.seed(self._env_file(), seed_options)

    def scale_to(self, instances: int) -> None:
        self.progress.say(f"stack: scaling to {instances} instance(s)")
        self._stack("up", instances=instances)
        self.instances = instances

    def metrics(self) -> list[str]:
        first = self.ports["STACK_API_PORT"]
        count = getattr(self, "instances", 1)
        return [
            scrape(f"http://127.0.0.1:{first + i}/metrics", self.metrics_token)
            for i in range(count)
        ]

    def cpu_pids(self) -> dict[str, list[int]]:
        first = self.ports["STACK_API_PORT"]
        count = getattr(self, "instances", 1)
        servers = sorted({p for i in range(count) for p in listening_pids(first + i)})
        return {"server": servers, "db": listening_pids(self.ports["STACK_PG_PORT"])}

    def stop(self) -> None:
        try:
            self._stack("down")
        except RuntimeError as exc:
            self.progress.say(f"stack: {exc}")

    def describe(self) -> str:
        return (
            "the local production stack (scripts/stack.sh): nginx in front of "
            f"1..{self.max_instances} gunicorn instances of {self.workers} worker(s) x "
            f"{self.threads} threads, one PostgreSQL"
        )
