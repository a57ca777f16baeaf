"""Contacts' search index, edits, merges and CRM records in DynamoDB; domain objects out.

Every read is a GetItem, BatchGetItem or a Query on one tenant's partition: nothing here
scans, and no key is built from anything but the caller's tenant id.
"""

from __future__ import annotations

from typing import Any

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.base import connection
from chalicelib.adapters.dynamo.crm_repository import CrmRepository, _contact, _interaction
from chalicelib.adapters.dynamo.errors import dynamo_call, translated
from chalicelib.adapters.dynamo.models.crm import (
    ContactIndexModel,
    ContactModel,
    InteractionModel,
)
from chalicelib.config import Settings
from chalicelib.domain.crm import Contact, Interaction

TOKEN = "tok#"


def token_key(token: str, contact_id: str) -> str:
    return f"{TOKEN}{token}#{contact_id}"


def _details(contact: Contact, at: float) -> list[Action]:
    """Set what the contact says; the counters a call keeps are left alone."""
    m = ContactModel
    actions: list[Action] = [m.phone.set(contact.phone),
                             m.created_at.set(m.created_at | int(at)),
                             m.last_seen_at.set(m.last_seen_at | int(at)),
                             m.interaction_count.set(m.interaction_count | 0),
                             m.version.set(contact.version)]
    for name in ("name", "company", "email", "notes", "merged_into", "imported_by"):
        value = getattr(contact, name)
        attr = getattr(m, name)
        if value is not None:
            actions.append(attr.set(value))
        elif name != "imported_by":
            actions.append(attr.remove())
    for name, value in (("tags", set(contact.tags)), ("merged_ids", set(contact.merged_ids))):
        attr = getattr(m, name)
        actions.append(attr.set(value) if value else attr.remove())
    actions.append(m.fields.set(dict(contact.fields)) if contact.fields else m.fields.remove())
    return actions


def _at_version(version: int) -> Condition:
    if version == 0:
        return ContactModel.version.does_not_exist() | (ContactModel.version == 0)
    return ContactModel.version == version


class ContactsRepository:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    get_contact = CrmRepository.get_contact  # one consistent read of the contact item

    @dynamo_call("get contacts")
    def get_contacts(self, tenant_id: str, contact_ids: list[str]) -> dict[str, Contact]:
        keys = [(tenant_id, c) for c in dict.fromkeys(contact_ids)]
        if not keys:
            return {}
        return {m.contact_id: _contact(m) for m in ContactModel.batch_get(keys)}

    def _stage(self, tx: TransactWrite, contact: Contact, expected_version: int,
               old_tokens: set[str], new_tokens: set[str], at: float) -> None:
        tx.update(ContactModel(contact.tenant_id, contact.contact_id),
                  actions=_details(contact, at), condition=_at_version(expected_version))
        for token in sorted(old_tokens - new_tokens):
            tx.delete(ContactIndexModel(contact.tenant_id,
                                        token_key(token, contact.contact_id)))
        for token in sorted(new_tokens - old_tokens):
            tx.save(ContactIndexModel(contact.tenant_id, token_key(token, contact.contact_id),
                                      contact_id=contact.contact_id))

    def save(self, contact: Contact, expected_version: int, old_tokens: set[str],
             new_tokens: set[str], at: float) -> None:
        """Write the contact (``contact.version`` is the new version) and its index
        changes in one transaction; Conflict if someone else saved it first."""
        self._commit("save contact", [(contact, expected_version, old_tokens, new_tokens)],
                     at)

    def merge(self, survivor: tuple[Contact, int, set[str], set[str]],
              merged: tuple[Contact, int, set[str], set[str]], record_key: str,
              record: dict[str, Any], at: float) -> None:
        """The survivor, the merged-away contact and the merge record, all or nothing."""
        self._commit("merge contacts", [survivor, merged], at,
                     extra=(record_key, record, survivor[0].contact_id))

    def _commit(self, action: str, writes: list[tuple[Contact, int, set[str], set[str]]],
                at: float, extra: tuple[str, dict[str, Any], str] | None = None) -> None:
        with translated(action), TransactWrite(connection=connection(self._settings)) as tx:
            for contact, version, old, new in writes:
                self._stage(tx, contact, version, old, new, at)
            if extra is not None:
                key, data, contact_id = extra
                tx.save(ContactIndexModel(writes[0][0].tenant_id, key, contact_id=contact_id,
                                          data=data, created_at=int(at)),
                        condition=ContactIndexModel.key.does_not_exist())

    @dynamo_call("search contacts")
    def query_index(self, tenant_id: str, prefix: str, after: str | None, limit: int
                    ) -> tuple[list[tuple[str, str]], str | None]:
        """Index items whose token starts with ``prefix``: (key, contact id), in key order,
        and the key to continue after (None at the end)."""
        start = {"tenant_id": {"S": tenant_id}, "key": {"S": after}} if after else None
        found = ContactIndexModel.query(
            tenant_id, ContactIndexModel.key.startswith(TOKEN + prefix), limit=limit,
            last_evaluated_key=start)
        items = [(m.key, str(m.contact_id)) for m in found]
        last = found.last_evaluated_key
        return items, (str(last["key"]["S"]) if last else None)

    @dynamo_call("list contacts")
    def list_contacts(self, tenant_id: str, after: str | None, limit: int
                      ) -> tuple[list[Contact], str | None]:
        """One page of the tenant's contacts (its own partition), merged-away ones left out."""
        start = ({"tenant_id": {"S": tenant_id}, "contact_id": {"S": after}}
                 if after else None)
        found = ContactModel.query(tenant_id, limit=limit, last_evaluated_key=start,
                                   filter_condition=ContactModel.merged_into.does_not_exist())
        contacts = [_contact(m) for m in found]
        last = found.last_evaluated_key
        return contacts, (str(last["contact_id"]["S"]) if last else None)

    @dynamo_call("read CRM record")
    def get_record(self, tenant_id: str, key: str) -> dict[str, Any] | None:
        try:
            item = ContactIndexModel.get(tenant_id, key, consistent_read=True)
        except ContactIndexModel.DoesNotExist:
            return None
        return dict(item.data or {})

    @dynamo_call("list CRM records")
    def list_records(self, tenant_id: str, prefix: str, limit: int = 100
                     ) -> list[dict[str, Any]]:
        """Records whose key starts with ``prefix`` (e.g. a contact's merges), in key order."""
        found = ContactIndexModel.query(tenant_id, ContactIndexModel.key.startswith(prefix),
                                        limit=limit)
        return [dict(item.data or {}) for item in found]

    @dynamo_call("write CRM record")
    def put_record(self, tenant_id: str, key: str, data: dict[str, Any], at: float) -> None:
        ContactIndexModel(tenant_id, key, data=data, created_at=int(at)).save()

    @dynamo_call("list contact interactions")
    def interactions_before(self, tenant_id: str, contact_id: str, before: float | None,
                            limit: int) -> list[Interaction]:
        """Up to ``limit`` of the contact's own interactions started at or before
        ``before``, newest first."""
        condition = InteractionModel.started_at <= before if before is not None else None
        query = InteractionModel.by_contact.query(
            f"{tenant_id}#{contact_id}", range_key_condition=condition,
            scan_index_forward=False, limit=limit)
        return [_interaction(m) for m in query]

