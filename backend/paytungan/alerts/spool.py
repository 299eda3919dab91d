"""Alerts accepted while the database could not store them, kept on local disk until it can.

Sentry does not retry a webhook sent to an internal integration (the relay's case): its sender
swallows every error of an unpublished app, so any answer but a 2xx loses the alert. When the
outbox insert fails (database down, or slower than the statement timeout), the webhook's
already verified and parsed alerts are written here, the webhook answers 202, and the delivery
thread (and `deliver_alerts`) moves them into the outbox once the database answers again.

One file per webhook body, named by the body's digest (a replay overwrites itself), written to a
temporary name, flushed and renamed, so a reader never sees half a file. The spool is local to
the instance: it survives a database outage, not the loss of the instance (docs/decisions/0011).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError

from paytungan.alerts import outbox
from paytungan.alerts.normalized import NormalizedAlert

logger = logging.getLogger("paytungan.alerts")

SUFFIX = ".json"
FAILED = ".failed"  # a file that cannot be stored even with the database up: kept for a human
RETRY_SECONDS = 5.0  # how soon the delivery thread tries a spooled file again


def _dir() -> Path:
    return Path(settings.ALERT_SPOOL_DIR)


def write(alerts: list[NormalizedAlert], *, digest: str, resource: str) -> Path:
    """Keeps `alerts` on disk; raises OSError when even that fails."""
    folder = _dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(
        {"digest": digest, "resource": resource, "alerts": [a.cleaned().to_json() for a in alerts]},
        ensure_ascii=True,
    ).encode()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        target = folder / f"{digest}{SUFFIX}"
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def pending() -> list[Path]:
    folder = _dir()
    try:
        files = [p for p in folder.iterdir() if p.name.endswith(SUFFIX)]
    except FileNotFoundError:
        return []
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def ingest() -> int:
    """Moves spooled alerts into the outbox, oldest first; stops at the first database error
    (still down: try again later). Returns the number of files stored."""
    stored = 0
    for path in pending():
        try:
            data = json.loads(path.read_bytes())
            alerts = [NormalizedAlert.from_json(a) for a in data["alerts"]]
            outbox.receive(alerts, body_digest=data["digest"], kick=False)
        except FileNotFoundError:
            continue  # another thread of this instance took it
        except (OperationalError, InterfaceError):
            logger.warning("spooled alerts wait: the database is still unavailable", exc_info=True)
            break
        except Exception:
            logger.exception("a spooled alert cannot be stored; kept", extra={"file": path.name})
            path.replace(path.with_name(path.name + FAILED))
            continue
        path.unlink(missing_ok=True)
        stored += 1
        logger.info("spooled alerts stored", extra={"file": path.name, "alerts": len(alerts)})
    return stored
