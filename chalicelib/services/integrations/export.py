"""The CRM export API: every contact and every interaction, as JSON or CSV, in pages.

Pages follow DynamoDB's own: contacts in the tenant's partition (by id), interactions in
the ``by_time`` index (oldest first, optionally between ``since`` and ``until``). The
cursor is the last key read, base64url-encoded JSON; it is opaque to clients, and one
naming another tenant's partition is refused (400), never followed.
"""

from __future__ import annotations

import csv
import io
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from chalicelib.domain.crm import Contact, Interaction
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.integrations import decode_cursor, encode_cursor, tenant_mark

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
FORMATS = ("json", "csv")

CONTACT_COLUMNS = ("id", "phone", "name", "company", "email", "tags", "notes", "created_at",
                   "last_seen_at", "interaction_count")
INTERACTION_COLUMNS = ("id", "contact_id", "phone", "channel", "direction", "status",
                       "outcome", "queue", "agent_id", "business_number", "started_at",
                       "answered_at", "ended_at", "duration_seconds", "wait_seconds",
                       "disposition", "notes", "recording_url")


class ContactPages(Protocol):
    def list_contacts(self, tenant_id: str, after: str | None, limit: int
                      ) -> tuple[list[Contact], str | None]: ...


class InteractionPages(Protocol):
    def page(self, tenant_id: str, start: float, end: float, limit: int,
             cursor: dict[str, Any] | None = None
             ) -> tuple[list[Interaction], dict[str, Any] | None]: ...


@dataclass(frozen=True)
class ExportPage:
    kind: str  # "contacts" | "interactions"
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    next: str | None

    def json(self) -> dict[str, Any]:
        return {self.kind: self.rows, "next": self.next}

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([_cell(row.get(c)) for c in self.columns])
        return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if E164.match(text):  # a phone number, as the contacts export writes it
        return text
    # a spreadsheet would run a cell starting with = + - @ as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(at: float | None) -> str | None:
    return None if at is None else datetime.fromtimestamp(at, tz=UTC).isoformat()


def contact_row(c: Contact) -> dict[str, Any]:
    return {"id": c.contact_id, "phone": c.phone, "name": c.name, "company": c.company,
            "email": c.email, "tags": list(c.tags), "notes": c.notes,
            "fields": dict(c.fields), "created_at": _iso(c.created_at),
            "last_seen_at": _iso(c.last_seen_at), "interaction_count": c.interaction_count}


def interaction_row(i: Interaction) -> dict[str, Any]:
    return {"id": i.interaction_id, "contact_id": i.contact_id, "phone": i.contact_phone,
            "channel": i.channel, "direction": i.direction, "status": i.status,
            "outcome": i.final_outcome, "queue": i.queue, "agent_id": i.agent_id,
            "business_number": i.business_number, "started_at": _iso(i.started_at),
            "answered_at": _iso(i.answered_at), "ended_at": _iso(i.ended_at),
            "duration_seconds": i.duration_seconds, "wait_seconds": i.queue_wait_seconds,
            "disposition": i.disposition, "notes": i.notes,
            "recording_url": i.recording_url}


def check_format(value: str | None) -> str:
    fmt = (value or "json").lower()
    if fmt not in FORMATS:
        raise InvalidInput("format must be json or csv", path="format")
    return fmt


def check_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise InvalidInput(f"limit must be a number from 1 to {MAX_LIMIT}", path="limit")
    return int(value)


def _instant(value: str | None, name: str) -> float | None:
    """Unix seconds or ISO-8601 (a zone-less time is UTC)."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        if not math.isfinite(number) or not 0 <= number < 1e11:
            raise InvalidInput(f"{name} must be unix seconds or ISO-8601", path=name)
        return number
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"{name} must be unix seconds or ISO-8601", path=name) from exc
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


class CrmExport:
    def __init__(self, contacts: ContactPages, interactions: InteractionPages,
                 clock: Callable[[], float] = time.time) -> None:
        self.contacts = contacts
        self.interactions = interactions
        self.clock = clock

    def contact_page(self, who: Principal, cursor: str | None,
                     limit: int = DEFAULT_LIMIT) -> ExportPage:
        who.require(Role.SUPERVISOR)
        position = decode_cursor(cursor, "c", who.tenant_id, 1)
        after = position[0] if position else None
        found, last = self.contacts.list_contacts(who.tenant_id, after, limit)
        mark = tenant_mark(who.tenant_id)
        next_cursor = encode_cursor(["c", mark, last]) if last else None
        return ExportPage("contacts", CONTACT_COLUMNS, [contact_row(c) for c in found],
                          next_cursor)

    def interaction_page(self, who: Principal, cursor: str | None,
                         limit: int = DEFAULT_LIMIT, since: str | None = None,
                         until: str | None = None) -> ExportPage:
        who.require(Role.SUPERVISOR)
        position = decode_cursor(cursor, "i", who.tenant_id, 4)
        start = _instant(since, "since") or 0.0
        end = _instant(until, "until") or self.clock() + 86400.0
        key = None
        if position is not None:
            iid, at, first, last_at = position
            try:
                start, end = float(first), float(last_at)
                float(at)
            except ValueError as exc:
                raise InvalidInput("cursor is not one this API gave out",
                                   path="cursor") from exc
            key = {"tenant_id": {"S": who.tenant_id}, "interaction_id": {"S": iid},
                   "started_at": {"N": at}}
        found, last = self.interactions.page(who.tenant_id, start, end, limit, key)
        next_cursor = None
        if last:
            next_cursor = encode_cursor(["i", tenant_mark(who.tenant_id),
                                         str(last["interaction_id"]["S"]),
                                         str(last["started_at"]["N"]), repr(start), repr(end)])
        return ExportPage("interactions", INTERACTION_COLUMNS,
                          [interaction_row(i) for i in found], next_cursor)
