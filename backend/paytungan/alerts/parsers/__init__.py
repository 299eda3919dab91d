"""Webhook bodies -> NormalizedAlert. Each parser raises PayloadError for a body that is JSON
but not the documented shape."""

from paytungan.alerts.parsers.common import PayloadError

__all__ = ["PayloadError"]
