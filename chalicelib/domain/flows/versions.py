"""A tenant's flows as the admin API sees them: a draft and numbered published revisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FlowRecord:
    tenant_id: str
    flow_id: str
    name: str
    draft: dict[str, Any] | None
    published_revision: int  # 0 while never published
    created_at: float
    draft_updated_at: float | None = None
    published_at: float | None = None

    def view(self) -> dict[str, Any]:
        return {"flow_id": self.flow_id, "name": self.name,
                "published_revision": self.published_revision or None,
                "created_at": self.created_at, "draft_updated_at": self.draft_updated_at,
                "published_at": self.published_at}


@dataclass(frozen=True)
class FlowRevision:
    flow_id: str
    revision: int
    definition: dict[str, Any]
    published_at: float
    published_by: str | None = None
    note: str | None = None

    def view(self, with_definition: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"revision": self.revision, "published_at": self.published_at,
                               "published_by": self.published_by, "note": self.note}
        if with_definition:
            out["definition"] = self.definition
        return out
