from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paytungan.alerts import delivery, outbox, verify
from paytungan.alerts.config import webhook_for
from paytungan.alerts.models import Alert, AlertIssue, WebhookState
from paytungan.alerts.normalized import NormalizedAlert


class Command(BaseCommand):
    help = (
        "Send a test alert end to end: stored in the outbox, delivered to Discord, and reported "
        "back. With --via, it goes in through a relay's signed Sentry webhook instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project",
            default="",
            help="route as this project (DISCORD_WEBHOOK_ROUTES key); default webhook if unset",
        )
        parser.add_argument(
            "--via",
            metavar="BASE_URL",
            help="post a signed event_alert to BASE_URL/hooks/sentry (a deployed relay sharing "
            "this database) and wait for its delivery",
        )
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        marker = uuid.uuid4().hex[:12]
        issue_key = f"sentry:{options['project'] or 'test'}:test-{marker}"
        hook = webhook_for(options["project"])
        if hook is None:
            raise CommandError("No Discord webhook: set DISCORD_WEBHOOK_URL (docs/operations.md).")
        started = time.monotonic()
        if options["via"]:
            self._post_signed(options["via"], options["project"] or "test", marker)
        else:
            alert = NormalizedAlert(
                source="test",
                kind="test.message",
                project=options["project"],
                issue_key=issue_key,
                foldable=False,
                title=f"Test alert {marker}",
                level="info",
                description="Sent by `manage.py alerts_test`: the relay reaches this channel.",
                occurred_at=timezone.now().isoformat(),
            )
            outbox.receive([alert], kick=False)
        self._wait(
            issue_key, hook.fingerprint, started, options["timeout"], local=not options["via"]
        )

    def _post_signed(self, base: str, project: str, marker: str) -> None:
        secrets: list[str] = settings.SENTRY_WEBHOOK_SECRETS
        if not secrets:
            raise CommandError("--via needs SENTRY_WEBHOOK_SECRET to sign the request.")
        body = json.dumps(
            {
                "action": "triggered",
                "data": {
                    "event": {
                        "event_id": uuid.uuid4().hex,
                        "issue_id": f"test-{marker}",
                        "title": f"Test alert {marker}",
                        "level": "info",
                        "url": f"https://sentry.io/api/0/projects/test/{project}/events/x/",
                    },
                    "triggered_rule": "alerts_test",
                },
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - an operator-given URL
            base.rstrip("/") + "/hooks/sentry",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Sentry-Hook-Resource": "event_alert",
                "Sentry-Hook-Timestamp": str(int(time.time())),
                "Sentry-Hook-Signature": verify.sentry_signature(body, secrets[0]),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                self.stdout.write(f"relay answered {response.status}")
        except urllib.error.HTTPError as exc:
            raise CommandError(f"relay answered {exc.code}: {exc.read(300)!r}") from None
        except OSError as exc:
            raise CommandError(f"relay unreachable: {exc}") from None

    def _wait(
        self, issue_key: str, fingerprint: str, started: float, timeout: float, *, local: bool
    ) -> None:
        while time.monotonic() - started < timeout:
            if local:
                delivery.drain()
            row = Alert.objects.filter(issue_key=issue_key).first()
            if row is None and (local or self._stored(issue_key)):
                elapsed = (time.monotonic() - started) * 1000
                self.stdout.write(self.style.SUCCESS(f"delivered to Discord in {elapsed:.0f} ms"))
                return
            state = WebhookState.objects.filter(fingerprint=fingerprint).first()
            if state is not None and state.dead_since is not None:
                raise CommandError(f"the Discord webhook is dead: {state.dead_reason}")
            time.sleep(0.2)
        row = Alert.objects.filter(issue_key=issue_key).first()
        reason = row.last_error if row is not None else "never reached the outbox"
        raise CommandError(f"not delivered within {timeout:.0f} s: {reason or 'still pending'}")

    def _stored(self, issue_key: str) -> bool:
        # Through a remote relay the row may be stored and delivered between two looks; the
        # issue's fold/lock row proves it was stored.
        return AlertIssue.objects.filter(key=issue_key).exists()
