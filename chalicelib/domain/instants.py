"""Instants as the API and its documents write them: ISO-8601 in UTC, ending in Z."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")
