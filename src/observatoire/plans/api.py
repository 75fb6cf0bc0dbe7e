"""API v1 of the plans: /api/v1/plans..."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["plans"])
