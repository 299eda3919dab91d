from __future__ import annotations

from ninja import Router

router = Router(tags=["payments"])
# GET /api/me/payments: payments waiting for me across all my groups.
me_payments_router = Router(tags=["payments"])
