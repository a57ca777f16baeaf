"""A contact's history: merging two contacts (both timelines kept) and the timeline."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalicelib.domain.contacts.search import tokens_for
from chalicelib.domain.crm import Contact, Interaction
from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.identity import Principal
from chalicelib.services.contacts import (
    ContactsService,
    ContactsStore,
    contact_view,
    decode_cursor,
    encode_cursor,
)

TIMELINE_MAX = 100
_DETAILS = ("name", "company", "email")


def merge_key(survivor_id: str, merged_id: str) -> str:
    return f"merge#{survivor_id}#{merged_id}"


class ContactHistory:
    def __init__(self, contacts: ContactsService, store: ContactsStore,
                 clock: Callable[[], float] = time.time) -> None:
        self.contacts = contacts
        self.store = store
        self.clock = clock

    def merge(self, who: Principal, contact_id: str, other_id: str) -> dict[str, Any]:
        """Merge ``other_id`` into ``contact_id``: the survivor keeps its details and gains
        what it lacked, the other's tags and fields, and the other's timeline; the other's
        id then resolves to the survivor. Merging again returns the same record."""
        tenant_id = who.tenant_id
        survivor = self.contacts.resolve(tenant_id, contact_id)
        other = self.contacts.resolve(tenant_id, other_id)
        if other.contact_id == survivor.contact_id:
            record = self._record_for(tenant_id, survivor.contact_id, other_id)
            if record is not None:
                return {"contact": contact_view(survivor), "merge": record, "already": True}
            raise InvalidInput("a contact cannot be merged into itself", path="other_id")
        taken = {name: getattr(other, name) for name in _DETAILS
                 if getattr(other, name) and not getattr(survivor, name)}
        notes = "\n\n".join(n for n in (survivor.notes, other.notes) if n) or None
        merged_ids = tuple(sorted({*survivor.merged_ids, other.contact_id, *other.merged_ids}))
        new_survivor = replace(
            survivor, **taken, notes=notes, tags=tuple(sorted({*survivor.tags, *other.tags})),
            fields={**other.fields, **survivor.fields}, merged_ids=merged_ids,
            version=survivor.version + 1)
        new_other = replace(other, merged_into=survivor.contact_id, merged_ids=(),
                            version=other.version + 1)
        at = self.clock()
        record = {"survivor_id": survivor.contact_id, "merged_id": other.contact_id,
                  "by": who.user_id, "at": at, "details_taken": sorted(taken),
                  "tags_added": sorted(set(other.tags) - set(survivor.tags)),
                  "fields_added": sorted(set(other.fields) - set(survivor.fields)),
                  "timelines": list(merged_ids), "merged_contact": contact_view(other)}
        try:
            self.store.merge(
                (new_survivor, survivor.version, tokens_for(survivor), tokens_for(new_survivor)),
                (new_other, other.version, tokens_for(other), set()),
                merge_key(survivor.contact_id, other.contact_id), record, at)
        except Conflict:
            # a concurrent merge of the same pair may have won: then this one is done too
            found = self._record_for(tenant_id, survivor.contact_id, other.contact_id)
            if found is None:
                raise
            return {"contact": contact_view(self.contacts.resolve(tenant_id, contact_id)),
                    "merge": found, "already": True}
        return {"contact": contact_view(new_survivor), "merge": record, "already": False}

    def merges(self, tenant_id: str, contact_id: str) -> list[dict[str, Any]]:
        """The merges into this contact (who, when, what), oldest first."""
        contact = self.contacts.resolve(tenant_id, contact_id)
        found = self.store.list_records(tenant_id, f"merge#{contact.contact_id}#")
        return sorted(found, key=lambda record: float(record.get("at") or 0))

    def _record_for(self, tenant_id: str, survivor_id: str, merged_id: str
                    ) -> dict[str, Any] | None:
        return self.store.get_record(tenant_id, merge_key(survivor_id, merged_id))

    def timeline(self, tenant_id: str, contact_id: str, cursor: str | None = None,
                 limit: int = 25) -> tuple[Contact, list[Interaction], str | None]:
        """Every interaction of the contact and of every contact merged into it, newest
        first, one page at a time (the cursor is the last one shown)."""
        limit = max(1, min(TIMELINE_MAX, limit))
        contact = self.contacts.resolve(tenant_id, contact_id)
        before = _position(decode_cursor(cursor, "t"))
        gathered: list[Interaction] = []
        more = False
        for source in (contact.contact_id, *contact.merged_ids):
            # ties at the cursor's instant are few; fetch enough to see past them
            found = self.store.interactions_before(
                tenant_id, source, before[0] if before else None, limit + 10)
            more = more or len(found) == limit + 10
            gathered += [i for i in found
                         if before is None or (i.started_at, i.interaction_id) < before]
        gathered.sort(key=lambda i: (i.started_at, i.interaction_id), reverse=True)
        shown = gathered[:limit]
        if len(gathered) > limit or (more and shown):
            last = shown[-1]
            return contact, shown, encode_cursor("t", f"{last.started_at!r}:{last.interaction_id}")
        return contact, shown, None


def _position(value: str | None) -> tuple[float, str] | None:
    """A timeline cursor's (started_at, interaction id)."""
    if value is None:
        return None
    at, _, interaction_id = value.partition(":")
    try:
        instant = float(at)
    except ValueError as exc:
        raise InvalidInput("cursor is not one this listing gave", path="cursor") from exc
    if not math.isfinite(instant) or not interaction_id:
        raise InvalidInput("cursor is not one this listing gave", path="cursor")
    return instant, interaction_id
