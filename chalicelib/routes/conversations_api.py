"""The agent's conversation API: a message task's thread, replies, a voicemail's audio."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.http import api, json_body, principal
from chalicelib.routes.schema import obj

bp = Blueprint(__name__)

REPLY = obj({"body": {"type": "string", "maxLength": 20000}}, required=("body",))


@bp.route("/api/tasks/{task_id}/messages", methods=["GET"])
@api("A message task's thread, with the contact's earlier threads", tag="conversations")
def messages(task_id: str) -> Any:
    from chalicelib.wiring import get_conversations

    return get_conversations().read(principal(bp.current_request), task_id)


@bp.route("/api/tasks/{task_id}/messages", methods=["POST"])
@api("Reply to the customer (SMS, WhatsApp or chat)", body=REPLY, tag="conversations")
def reply(task_id: str) -> Any:
    from chalicelib.wiring import get_conversations

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return get_conversations().reply(who, task_id, body.get("body"))


@bp.route("/api/tasks/{task_id}/recording", methods=["GET"])
@api("A voicemail task's audio, fetched from the carrier", tag="conversations")
def recording(task_id: str) -> Any:
    from chalicelib.wiring import get_voicemail

    audio = get_voicemail().recording(principal(bp.current_request), task_id)
    return Response(body=audio.data, status_code=200,
                    headers={"Content-Type": audio.content_type, "Cache-Control": "private"})


@bp.route("/api/tasks/{task_id}", methods=["GET"])
@api("One task as the desktop shows it (its agent, or a supervisor)", tag="agent")
def task(task_id: str) -> Any:
    from chalicelib.wiring import get_conversations

    return get_conversations().task_view(principal(bp.current_request), task_id)
