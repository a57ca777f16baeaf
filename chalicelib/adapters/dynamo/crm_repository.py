"""Contacts and interactions in DynamoDB; returns domain objects."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.errors import dynamo_call, is_conditional_failure
from chalicelib.adapters.dynamo.models.crm import ContactModel, InteractionModel
from chalicelib.domain.crm import Contact, Interaction, contact_id_for
from chalicelib.domain.errors import Conflict, NotFound

_INTERACTION_FIELDS = [f.name for f in fields(Interaction) if f.name != "extra"]
_UPDATABLE = set(_INTERACTION_FIELDS) - {"tenant_id", "interaction_id", "contact_id",
                                         "contact_phone", "channel", "direction", "started_at"}


def _touch(phone: str, at: float) -> list[Action]:
    """Seen again: created once, last seen now, one more interaction."""
    return [ContactModel.phone.set(phone),
            ContactModel.created_at.set(ContactModel.created_at | int(at)),
            ContactModel.last_seen_at.set(int(at)),
            ContactModel.interaction_count.add(1)]


def _contact(model: ContactModel) -> Contact:
    return Contact(
        tenant_id=model.tenant_id, contact_id=model.contact_id, phone=model.phone,
        name=model.name, email=model.email, notes=model.notes,
        created_at=float(model.created_at), last_seen_at=float(model.last_seen_at),
        interaction_count=int(model.interaction_count or 0),
        company=model.company, tags=tuple(sorted(model.tags or ())),
        fields=dict(model.fields or {}), merged_into=model.merged_into,
        merged_ids=tuple(sorted(model.merged_ids or ())), imported_by=model.imported_by,
        version=int(model.version or 0),
    )


_APPENDABLE = ("transfers", "monitoring")


def _interaction(model: InteractionModel) -> Interaction:
    values: dict[str, Any] = {name: getattr(model, name) for name in _INTERACTION_FIELDS}
    for name in _APPENDABLE:
        values[name] = [dict(entry) for entry in values[name]] if values[name] else None
    return Interaction(**values)


class CrmRepository:
    """Each method is one DynamoDB request."""

    @dynamo_call("touch contact")
    def touch_contact(self, tenant_id: str, phone: str, at: float) -> Contact:
        """Create the contact on first sight, or count one more interaction."""
        model = ContactModel(tenant_id, contact_id_for(tenant_id, phone))
        model.update(actions=_touch(phone, at))
        return _contact(model)

    def stage_touch_contact(self, tx: TransactWrite, tenant_id: str, phone: str,
                            at: float) -> None:
        tx.update(ContactModel(tenant_id, contact_id_for(tenant_id, phone)),
                  actions=_touch(phone, at))

    @dynamo_call("get contact")
    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None:
        try:
            return _contact(ContactModel.get(tenant_id, contact_id, consistent_read=True))
        except ContactModel.DoesNotExist:
            return None

    @dynamo_call("update contact")
    def update_contact(self, tenant_id: str, contact_id: str, changes: dict[str, str]) -> Contact:
        model = ContactModel(tenant_id, contact_id)
        actions = [getattr(ContactModel, name).set(value) for name, value in changes.items()]
        try:
            model.update(actions=actions, condition=ContactModel.contact_id.exists())
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                raise NotFound(f"contact {contact_id} not found") from exc
            raise
        return _contact(model)

    def _interaction_model(self, interaction: Interaction) -> InteractionModel:
        values = {name: getattr(interaction, name) for name in _INTERACTION_FIELDS}
        values["tenant_contact"] = f"{interaction.tenant_id}#{interaction.contact_id}"
        return InteractionModel(**values)

    def stage_create_interaction(self, tx: TransactWrite, interaction: Interaction) -> None:
        tx.save(self._interaction_model(interaction),
                condition=InteractionModel.interaction_id.does_not_exist())

    def stage_update_interaction(self, tx: TransactWrite, tenant_id: str, interaction_id: str,
                                 changes: dict[str, Any],
                                 only_if_absent: tuple[str, ...] = ()) -> None:
        """``update_interaction`` as part of a transaction the caller commits (the
        interaction must exist, or the transaction is cancelled)."""
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        actions = []
        for name, value in changes.items():
            attr = getattr(InteractionModel, name)
            actions.append(attr.set(attr | value) if name in only_if_absent else attr.set(value))
        tx.update(InteractionModel(tenant_id, interaction_id), actions=actions,
                  condition=InteractionModel.interaction_id.exists())

    @dynamo_call("create interaction")
    def create_interaction(self, interaction: Interaction) -> bool:
        """Create it once; False if it already existed (a retried webhook)."""
        try:
            self._interaction_model(interaction).save(
                condition=InteractionModel.interaction_id.does_not_exist())
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    @dynamo_call("update interaction")
    def update_interaction(self, tenant_id: str, interaction_id: str, changes: dict[str, Any],
                           only_if_absent: tuple[str, ...] = (),
                           unless_ended: bool = False) -> Interaction:
        """Set the given attributes of an existing interaction.

        Names in ``only_if_absent`` are written only if not yet set (first writer wins),
        which keeps timings right when Twilio delivers callbacks twice or out of order.
        With ``unless_ended``, an interaction that has already ended is left as it is and
        raises Conflict (an agent connecting after the caller hung up).
        """
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        model = InteractionModel(tenant_id, interaction_id)
        actions = []
        for name, value in changes.items():
            attr = getattr(InteractionModel, name)
            if value is None:
                actions.append(attr.remove())
            elif name in only_if_absent:
                actions.append(attr.set(attr | value))
            else:
                actions.append(attr.set(value))
        exists = InteractionModel.interaction_id.exists()
        condition: Condition = exists
        if unless_ended:
            condition = exists & InteractionModel.ended_at.does_not_exist()
        try:
            model.update(actions=actions, condition=condition)
        except PynamoDBException as exc:
            if not is_conditional_failure(exc):
                raise
            if unless_ended and self.get_interaction(tenant_id, interaction_id) is not None:
                raise Conflict(f"interaction {interaction_id} has already ended") from exc
            raise NotFound(f"interaction {interaction_id} not found") from exc
        return _interaction(model)

    @dynamo_call("append to interaction")
    def append_interaction(self, tenant_id: str, interaction_id: str, name: str,
                           entry: dict[str, Any]) -> None:
        """Add one entry to a list of the interaction (transfers, monitoring)."""
        if name not in _APPENDABLE:
            raise ValueError(f"not appendable: {name}")
        attr = getattr(InteractionModel, name)
        try:
            InteractionModel(tenant_id, interaction_id).update(
                actions=[attr.set((attr | []).append([entry]))],
                condition=InteractionModel.interaction_id.exists())
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                raise NotFound(f"interaction {interaction_id} not found") from exc
            raise

    @dynamo_call("get interaction")
    def get_interaction(self, tenant_id: str, interaction_id: str) -> Interaction | None:
        try:
            return _interaction(InteractionModel.get(tenant_id, interaction_id,
                                                     consistent_read=True))
        except InteractionModel.DoesNotExist:
            return None

    @dynamo_call("list interactions of contact")
    def list_for_contact(self, tenant_id: str, contact_id: str, limit: int = 50
                         ) -> list[Interaction]:
        query = InteractionModel.by_contact.query(
            f"{tenant_id}#{contact_id}", scan_index_forward=False, limit=limit)
        return [_interaction(m) for m in query]
