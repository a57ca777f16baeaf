"""Contacts as customer memory: details, tags, custom fields, search, duplicates, export."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, Protocol

from chalicelib.domain.contacts.fields import FieldDef, coerce_fields, parse_definitions
from chalicelib.domain.contacts.search import (
    Query,
    normalise_email,
    normalise_tags,
    parse_query,
    tokens_for,
)
from chalicelib.domain.crm import Contact, Interaction, contact_id_for
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.phone import WHATSAPP_PREFIX, to_e164

SETTINGS_KEY = "settings#fields"
TOKEN = "tok#"  # the index items' key prefix
PAGE_MAX = 100
MAX_HOPS = 8  # merged-into chains followed at most this far
QUERIES_PER_PAGE = 10  # index reads one search page may take before it returns what it has
TEXT_MAX = {"name": 200, "company": 200, "notes": 4000}


class ContactsStore(Protocol):
    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None: ...
    def get_contacts(self, tenant_id: str, contact_ids: list[str]) -> dict[str, Contact]: ...
    def save(self, contact: Contact, expected_version: int, old_tokens: set[str],
             new_tokens: set[str], at: float) -> None: ...
    def merge(self, survivor: tuple[Contact, int, set[str], set[str]],
              merged: tuple[Contact, int, set[str], set[str]], record_key: str,
              record: dict[str, Any], at: float) -> None: ...
    def query_index(self, tenant_id: str, prefix: str, after: str | None, limit: int
                    ) -> tuple[list[tuple[str, str]], str | None]: ...
    def list_contacts(self, tenant_id: str, after: str | None, limit: int
                      ) -> tuple[list[Contact], str | None]: ...
    def get_record(self, tenant_id: str, key: str) -> dict[str, Any] | None: ...
    def put_record(self, tenant_id: str, key: str, data: dict[str, Any], at: float) -> None: ...
    def list_records(self, tenant_id: str, prefix: str, limit: int = 100
                     ) -> list[dict[str, Any]]: ...
    def interactions_before(self, tenant_id: str, contact_id: str, before: float | None,
                            limit: int) -> list[Interaction]: ...


def encode_cursor(kind: str, value: str) -> str:
    """A short, opaque-enough cursor: the listing's kind and where it stopped."""
    return f"{kind}:{value}"


def decode_cursor(cursor: str | None, kind: str) -> str | None:
    if not cursor:
        return None
    found, sep, value = cursor.partition(":")
    if not sep or found != kind or not value:
        raise InvalidInput("cursor is not one this listing gave", path="cursor")
    return value


def contact_view(contact: Contact) -> dict[str, Any]:
    return {"id": contact.contact_id, "phone": contact.phone, "name": contact.name,
            "company": contact.company, "email": contact.email, "notes": contact.notes,
            "tags": list(contact.tags), "fields": dict(contact.fields),
            "created_at": contact.created_at, "last_seen_at": contact.last_seen_at,
            "interaction_count": contact.interaction_count,
            "merged_ids": list(contact.merged_ids)}


class ContactsService:
    def __init__(self, store: ContactsStore, clock: Callable[[], float] = time.time,
                 on_created: Callable[[Contact], None] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.on_created = on_created  # contact.created (services/integrations/events.py)

    # --- the tenant's settings --------------------------------------------------------
    def settings(self, tenant_id: str) -> tuple[list[FieldDef], str]:
        data = self.store.get_record(tenant_id, SETTINGS_KEY) or {}
        return parse_definitions(data.get("fields") or []), str(data.get("country") or "US")

    def field_settings(self, tenant_id: str) -> dict[str, Any]:
        definitions, country = self.settings(tenant_id)
        return {"fields": [d.to_public() for d in definitions], "country": country}

    def set_field_settings(self, tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
        definitions = parse_definitions(body.get("fields"))
        _, country = self.settings(tenant_id)
        country = str(body.get("country") or country).upper()
        import phonenumbers

        if country not in phonenumbers.SUPPORTED_REGIONS:
            raise InvalidInput(f"{country} is not a country code (ISO 3166, like US or GB)",
                               path="country")
        self.store.put_record(tenant_id, SETTINGS_KEY,
                              {"fields": [d.to_public() for d in definitions],
                               "country": country}, self.clock())
        return self.field_settings(tenant_id)

    def normalise_phone(self, tenant_id: str, raw: str, country: str | None = None) -> str:
        return to_e164(raw, country or self.settings(tenant_id)[1])

    # --- one contact --------------------------------------------------------------------
    def resolve(self, tenant_id: str, contact_id: str) -> Contact:
        """The contact, or the one it was merged into."""
        for _ in range(MAX_HOPS):
            contact = self.store.get_contact(tenant_id, contact_id)
            if contact is None:
                raise NotFound(f"contact {contact_id} not found")
            if not contact.merged_into:
                return contact
            contact_id = contact.merged_into
        raise NotFound(f"contact {contact_id} not found")

    def create(self, tenant_id: str, body: dict[str, Any]) -> Contact:
        phone = self.normalise_phone(tenant_id, str(body.get("phone") or ""))
        contact_id = contact_id_for(tenant_id, phone)
        existing = self.store.get_contact(tenant_id, contact_id)
        if existing is not None:
            raise Conflict(f"{phone} is already contact {existing.merged_into or contact_id}")
        blank = Contact(tenant_id=tenant_id, contact_id=contact_id, phone=phone)
        created = self._apply(blank, {k: v for k, v in body.items() if k != "phone"})
        if self.on_created is not None:
            self.on_created(created)
        return created

    def update(self, tenant_id: str, contact_id: str, body: dict[str, Any]) -> Contact:
        if not body:
            raise InvalidInput("nothing to update: send name, company, email, notes, tags "
                               "or fields")
        return self._apply(self.resolve(tenant_id, contact_id), body)

    def _apply(self, contact: Contact, body: dict[str, Any]) -> Contact:
        changes: dict[str, Any] = {}
        for name, limit in TEXT_MAX.items():
            if name in body:
                value = (str(body[name]).strip() if body[name] is not None else "")
                if len(value) > limit:
                    raise InvalidInput(f"{name} is longer than {limit} characters", path=name)
                changes[name] = value or None
        if "email" in body:
            changes["email"] = normalise_email(body["email"]) if body["email"] else None
        if "tags" in body:
            changes["tags"] = normalise_tags(body["tags"] or [])
        if "fields" in body:
            definitions, _ = self.settings(contact.tenant_id)
            merged = {**contact.fields, **coerce_fields(definitions, body["fields"] or {})}
            changes["fields"] = {k: v for k, v in merged.items() if v is not None}
        updated = replace(contact, **changes, version=contact.version + 1)
        self.store.save(updated, contact.version, tokens_for(contact), tokens_for(updated),
                        self.clock())
        return updated

    # --- search -------------------------------------------------------------------------
    def search(self, tenant_id: str, q: str | None = None, tag: str | None = None,
               fields: dict[str, str] | None = None, cursor: str | None = None,
               limit: int = 25) -> tuple[list[Contact], str | None]:
        limit = max(1, min(PAGE_MAX, limit))
        query = parse_query(q, tag, self._field_filters(tenant_id, fields or {}))
        if query.phone is not None:
            return self._by_phone(tenant_id, query), None
        lead = query.lead
        if lead is None:
            after = decode_cursor(cursor, "a")
            contacts, last = self.store.list_contacts(tenant_id, after, limit)
            return contacts, (encode_cursor("a", last) if last else None)
        return self._by_index(tenant_id, query, lead, decode_cursor(cursor, "s"), limit)

    def _field_filters(self, tenant_id: str, raw: dict[str, str]) -> dict[str, str]:
        if not raw:
            return {}
        definitions, _ = self.settings(tenant_id)
        coerced = coerce_fields(definitions, raw, path="field")
        return {k: str(v) for k, v in coerced.items() if v is not None}

    def _by_phone(self, tenant_id: str, query: Query) -> list[Contact]:
        try:
            phone = self.normalise_phone(tenant_id, str(query.phone))
        except InvalidInput:
            return []
        try:
            contact = self.find_by_phone(tenant_id, phone)
        except NotFound:
            return []
        return [contact] if query.matches(tokens_for(contact)) else []

    def _by_index(self, tenant_id: str, query: Query, lead: str, page: str | None,
                  limit: int) -> tuple[list[Contact], str | None]:
        """Read the index items under the lead token, in key order; the cursor is the key
        of the last item read (without its ``tok#``)."""
        if page is not None and not page.startswith(lead):
            raise InvalidInput("cursor belongs to another search", path="cursor")
        after: str | None = TOKEN + page if page else None
        found: list[Contact] = []
        for _ in range(QUERIES_PER_PAGE):
            exact = lead + "#" if lead in query.filters else lead
            items, last = self.store.query_index(tenant_id, exact, after, limit * 2)
            contacts = self.store.get_contacts(tenant_id, [cid for _, cid in items])
            for key, contact_id in items:
                after = key
                contact = contacts.get(contact_id)
                if contact is None or contact.merged_into:
                    continue
                tokens = tokens_for(contact)
                token = key[len(TOKEN):-(len(contact_id) + 1)]
                # a contact is listed once: under its first token the lead matches
                if token not in tokens or min(t for t in tokens if t.startswith(lead)) != token:
                    continue
                if query.matches(tokens):
                    found.append(contact)
                    if len(found) == limit:
                        return found, encode_cursor("s", key[len(TOKEN):])
            if last is None:
                return found, None
            after = last
        return found, encode_cursor("s", str(after)[len(TOKEN):])

    def find_by_phone(self, tenant_id: str, phone: str) -> Contact:
        """The contact of a number; a ``whatsapp:`` address finds the number's contact
        (WhatsApp and SMS are one contact), or a legacy contact stored under the address."""
        number = self.normalise_phone(tenant_id, phone)
        bare = number.removeprefix(WHATSAPP_PREFIX)
        try:
            return self.resolve(tenant_id, contact_id_for(tenant_id, bare))
        except NotFound:
            if bare == number:
                raise
        return self.resolve(tenant_id, contact_id_for(tenant_id, number))

    # --- duplicates and export ------------------------------------------------------------
    def duplicates(self, tenant_id: str, contact_id: str) -> list[dict[str, Any]]:
        """Contacts that look like the same customer: the same number on another channel
        (SMS and WhatsApp), or the same email."""
        contact = self.resolve(tenant_id, contact_id)
        reasons: dict[str, list[str]] = {}
        bare = contact.phone.removeprefix(WHATSAPP_PREFIX)
        for phone in {bare, WHATSAPP_PREFIX + bare} - {contact.phone}:
            try:
                other = self.resolve(tenant_id, contact_id_for(tenant_id, phone))
            except NotFound:
                continue
            reasons.setdefault(other.contact_id, []).append("phone")
        # a web chat's contact is keyed by the visitor's email (CHAT): both ways round
        email = contact.email or (contact.phone.lower() if "@" in contact.phone else None)
        if email:
            items, _ = self.store.query_index(tenant_id, f"e:{email}#", None, 50)
            chat_contact = contact_id_for(tenant_id, email)
            for other_id in [*(cid for _, cid in items), chat_contact]:
                if "email" not in reasons.get(other_id, []):
                    reasons.setdefault(other_id, []).append("email")
        reasons.pop(contact.contact_id, None)
        others = self.store.get_contacts(tenant_id, list(reasons))
        return [{"contact": contact_view(others[cid]), "reasons": why}
                for cid, why in reasons.items()
                if cid in others and not others[cid].merged_into]

    def export(self, tenant_id: str, q: str | None = None, tag: str | None = None,
               fields: dict[str, str] | None = None) -> Iterator[Contact]:
        cursor: str | None = None
        while True:
            contacts, cursor = self.search(tenant_id, q, tag, fields, cursor, PAGE_MAX)
            yield from contacts
            if cursor is None:
                return
