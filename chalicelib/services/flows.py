"""Flow administration: drafts, validation, publishing, revisions, rollback, numbers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.flows.model import FlowInvalid, ValidationIssue
from chalicelib.domain.flows.validation import errors_only, validate_flow
from chalicelib.domain.flows.versions import FlowRecord, FlowRevision

CHANNELS = ("voice", "sms", "whatsapp")


class FlowStore(Protocol):
    def create(self, tenant_id: str, flow_id: str, name: str,
               draft: dict[str, Any]) -> FlowRecord: ...
    def get(self, tenant_id: str, flow_id: str) -> FlowRecord: ...
    def list_flows(self, tenant_id: str) -> list[FlowRecord]: ...
    def save_draft(self, tenant_id: str, flow_id: str, draft: dict[str, Any],
                   name: str | None = None) -> FlowRecord: ...
    def publish(self, tenant_id: str, flow_id: str, definition: dict[str, Any],
                expected_revision: int, published_by: str | None = None,
                note: str | None = None) -> int: ...
    def revisions(self, tenant_id: str, flow_id: str) -> list[FlowRevision]: ...
    def revision_record(self, tenant_id: str, flow_id: str,
                        revision: int) -> FlowRevision: ...
    def bind_number(self, tenant_id: str, number: str, flow_id: str,
                    channel: str) -> None: ...


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]
    return f"{slug or 'flow'}-{uuid.uuid4().hex[:6]}"


def _definition(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidInput("the flow definition must be a JSON object", path="definition")
    return body


class FlowAdminService:
    def __init__(self, flows: FlowStore,
                 account_sid_of: Callable[[str], str | None] = lambda tenant_id: None) -> None:
        self.flows = flows
        self.account_sid_of = account_sid_of

    def list_flows(self, tenant_id: str) -> list[FlowRecord]:
        return self.flows.list_flows(tenant_id)

    def create(self, tenant_id: str, name: str, definition: Any,
               flow_id: str | None = None) -> tuple[FlowRecord, list[ValidationIssue]]:
        if not name.strip():
            raise InvalidInput("a flow needs a name", path="name")
        if flow_id is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", flow_id):
            raise InvalidInput("flow_id may hold letters, digits, - and _ only", path="flow_id")
        doc = _definition(definition)
        record = self.flows.create(tenant_id, flow_id or _slug(name), name.strip(), doc)
        return record, self._validate(tenant_id, doc)

    def get(self, tenant_id: str, flow_id: str) -> FlowRecord:
        return self.flows.get(tenant_id, flow_id)

    def save_draft(self, tenant_id: str, flow_id: str, definition: Any,
                   name: str | None = None) -> tuple[FlowRecord, list[ValidationIssue]]:
        """Drafts may be invalid (work in progress); the issues come back with them."""
        doc = _definition(definition)
        record = self.flows.save_draft(tenant_id, flow_id, doc, name)
        return record, self._validate(tenant_id, doc)

    def validate(self, tenant_id: str, flow_id: str) -> list[ValidationIssue]:
        record = self.flows.get(tenant_id, flow_id)
        return self._validate(tenant_id, record.draft or {})

    def publish(self, tenant_id: str, flow_id: str, user_id: str | None = None) -> int:
        """Publish the draft as the next revision; nothing invalid is ever published."""
        return self.publish_with_warnings(tenant_id, flow_id, user_id)[0]

    def publish_with_warnings(self, tenant_id: str, flow_id: str, user_id: str | None = None
                              ) -> tuple[int, list[ValidationIssue]]:
        """Publish the draft; the new revision and the warnings it was published with
        (e.g. a Studio export's account SIDs kept as metadata), for the user to see."""
        record = self.flows.get(tenant_id, flow_id)
        if not record.draft:
            raise InvalidInput("the flow has no draft to publish", path="definition")
        warnings = self._require_valid(tenant_id, record.draft)
        revision = self.flows.publish(tenant_id, flow_id, record.draft,
                                      expected_revision=record.published_revision,
                                      published_by=user_id)
        return revision, warnings

    def revisions(self, tenant_id: str, flow_id: str) -> list[FlowRevision]:
        self.flows.get(tenant_id, flow_id)
        return self.flows.revisions(tenant_id, flow_id)

    def revision(self, tenant_id: str, flow_id: str, revision: int) -> FlowRevision:
        """One published revision with its definition (the flow page draws the live one)."""
        return self.flows.revision_record(tenant_id, flow_id, revision)

    def rollback(self, tenant_id: str, flow_id: str, revision: int,
                 user_id: str | None = None) -> int:
        """Publish an old revision again, as a new revision (history is never rewritten)."""
        record = self.flows.get(tenant_id, flow_id)
        old = self.flows.revision_record(tenant_id, flow_id, revision)
        self._require_valid(tenant_id, old.definition)
        return self.flows.publish(tenant_id, flow_id, old.definition,
                                  expected_revision=record.published_revision,
                                  published_by=user_id, note=f"rollback to revision {revision}")

    def bind_number(self, tenant_id: str, number: str, flow_id: str, channel: str) -> None:
        if channel not in CHANNELS:
            raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}", path="channel")
        record = self.flows.get(tenant_id, flow_id)
        if not record.published_revision:
            raise Conflict(f"flow {flow_id} is not published yet: publish it first")
        self.flows.bind_number(tenant_id, number, flow_id,
                               "voice" if channel == "voice" else "sms")

    def _validate(self, tenant_id: str, doc: dict[str, Any]) -> list[ValidationIssue]:
        return validate_flow(doc, account_sid=self.account_sid_of(tenant_id))

    def _require_valid(self, tenant_id: str, doc: dict[str, Any]) -> list[ValidationIssue]:
        """Raise FlowInvalid on any error; else the warnings."""
        issues = self._validate(tenant_id, doc)
        errors = errors_only(issues)
        if errors:
            raise FlowInvalid(errors)
        return [i for i in issues if i.severity != "error"]
