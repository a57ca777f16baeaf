"""Canned users and sessions for page tests."""

from __future__ import annotations

from typing import Any


def user(role: str, name: str = "Alex Agent") -> dict[str, Any]:
    return {"id": f"u_{role}", "tenant_id": "tn_test", "email": f"{role}@shop.example",
            "name": name, "role": role, "mobile": None}


def session(role: str, name: str = "Alex Agent") -> dict[str, Any]:
    return {"token": f"token-{role}", "user": user(role, name)}
