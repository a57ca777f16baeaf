"""Where events come from: the CRM tells this sink about interactions and contacts, and it
publishes the four event types (each idempotent on an id derived from what happened).

- ``interaction.completed``: the interaction ended and, if an agent answered it, was
  wrapped up (or its wrap-up time ran out). Id: the interaction.
- ``voicemail.received``: an interaction's outcome became a voicemail with its recording.
  Id: the interaction.
- ``task.abandoned``: the caller hung up while waiting in a queue (the routing service
  records the outcome "abandoned"). Id: the task (or the interaction).
- ``contact.created``: a contact was created by hand or by a first call or text. Id: the
  contact. A first call's contact is recognised by its creation instant (the webhook's
  touch sets it from the interaction's start), read only if the tenant subscribes.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from chalicelib.domain.crm import Contact, Interaction
from chalicelib.domain.errors import HotlineError
from chalicelib.domain.integrations import (
    CONTACT_CREATED,
    INTERACTION_COMPLETED,
    TASK_ABANDONED,
    VOICEMAIL_RECEIVED,
)
from chalicelib.services.integrations.delivery import EventPublisher, publish_safely

log = logging.getLogger("hotline.integrations.events")


class ContactReader(Protocol):
    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None: ...


def completed(interaction: Interaction) -> bool:
    """A call is complete once it ended (and, if an agent took it, was wrapped up); a text
    or chat thread never "ends" on the carrier's side: its wrap-up completes it."""
    if interaction.ended_at is None:
        return interaction.channel != "voice" and interaction.wrapped_up_at is not None
    handled = interaction.answered_at is not None and interaction.agent_id is not None
    return not handled or interaction.wrapped_up_at is not None


def contact_data(contact: Contact, now: float) -> dict[str, Any]:
    """The contact as the event tells it (one made by hand is stamped when written, which
    its returned view does not carry: then it is now)."""
    return {"id": contact.contact_id, "phone": contact.phone, "name": contact.name,
            "company": contact.company, "email": contact.email, "tags": list(contact.tags),
            "fields": dict(contact.fields), "created_at": contact.created_at or now}


class CrmEvents:
    def __init__(self, publisher: EventPublisher, contacts: ContactReader) -> None:
        self.publisher = publisher
        self.contacts = contacts

    def interaction_changed(self, interaction: Interaction) -> None:
        """After every CRM write that may finish an interaction or decide its outcome."""
        tenant, iid = interaction.tenant_id, interaction.interaction_id
        try:
            if not self.publisher.subscriptions_of(tenant):
                return
        except HotlineError as exc:
            log.error("could not read tenant %s's webhooks: %s", tenant, exc.message)
            return
        view = interaction.to_public()
        if interaction.outcome == "voicemail" and interaction.recording_url:
            publish_safely(self.publisher, tenant, VOICEMAIL_RECEIVED, {
                "interaction_id": iid, "contact_id": interaction.contact_id,
                "phone": interaction.contact_phone, "queue": interaction.queue,
                "business_number": interaction.business_number,
                "recording_url": interaction.recording_url,
                "transcription": interaction.transcription}, f"{VOICEMAIL_RECEIVED}:{iid}")
        if interaction.outcome == "abandoned":
            task = interaction.task_id or iid
            publish_safely(self.publisher, tenant, TASK_ABANDONED, {
                "task_id": interaction.task_id, "interaction_id": iid,
                "contact_id": interaction.contact_id, "phone": interaction.contact_phone,
                "queue": interaction.queue, "queued_at": interaction.queued_at,
                "wait_seconds": interaction.queue_wait_seconds}, f"{TASK_ABANDONED}:{task}")
        if completed(interaction):
            publish_safely(self.publisher, tenant, INTERACTION_COMPLETED, view,
                           f"{INTERACTION_COMPLETED}:{iid}")

    def contact_seen(self, interaction: Interaction) -> None:
        """A webhook recorded a new interaction and touched its contact."""
        tenant = interaction.tenant_id
        try:
            if not self.publisher.wants(tenant, CONTACT_CREATED):
                return
            contact = self.contacts.get_contact(tenant, interaction.contact_id)
        except HotlineError as exc:
            log.error("could not check contact %s: %s", interaction.contact_id, exc.message)
            return
        if contact is not None and int(contact.created_at) == int(interaction.started_at):
            self.contact_created(contact)

    def contact_created(self, contact: Contact) -> None:
        publish_safely(self.publisher, contact.tenant_id, CONTACT_CREATED,
                       contact_data(contact, self.publisher.clock()),
                       f"{CONTACT_CREATED}:{contact.contact_id}")
