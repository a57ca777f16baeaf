"""Web chat's public routes: the widget's files and the visitor's API (docs/chat.md).

These are called from the business's own site, so they answer CORS for any origin; the
visitor is authorised by the visitor token of ``POST /chat/{widget_key}/conversations``
(``Authorization: Bearer <visitor_token>``), bound to that one conversation.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from chalice import Blueprint, CORSConfig
from chalice.app import Response

from chalicelib.routes.http import api, bearer_token, json_body, query_param, source_ip
from chalicelib.routes.schema import choice, obj, text

bp = Blueprint(__name__)

CORS = CORSConfig(allow_origin="*", allow_headers=["Authorization", "Content-Type"],
                  max_age=600)
WIDGET_ROOT = Path(__file__).resolve().parent.parent / "web" / "chat"
WIDGET_FILES = {"widget.js": "text/javascript; charset=utf-8",
                "widget.css": "text/css; charset=utf-8"}
KEY = {"widget_key": text(120, 8, pattern=r"^wk_[A-Za-z0-9_-]+$")}
CONVERSATION = {"conversation_id": text(40, 4, pattern=r"^ch_[a-f0-9]+$")}
VISITOR = {"name": text(100, nullable=True), "email": text(254, nullable=True)}
START = obj({**VISITOR, "page_url": text(500, nullable=True)}, closed=True)
SEND = obj({"body": text(20000), **VISITOR}, required=("body",), closed=True)
READ = {"after": text(6, pattern=r"^[0-9]+$"), "wait": text(2, pattern=r"^[0-9]+$"),
        "state": choice("new", "waiting", "connected", "ended")}


@bp.route("/chat/{name}", methods=["GET"], cors=CORS)
def widget_file(name: str) -> Response:
    kind = WIDGET_FILES.get(name)
    if kind is None:
        return Response(body="not found\n", status_code=404,
                        headers={"Content-Type": "text/plain; charset=utf-8"})
    data = (WIDGET_ROOT / name).read_bytes()
    return Response(body=data.decode("utf-8"), status_code=200, headers={
        "Content-Type": kind, "Cache-Control": "public, max-age=300, must-revalidate",
        "ETag": '"' + hashlib.sha256(data).hexdigest()[:20] + '"',
        "X-Content-Type-Options": "nosniff", "Cross-Origin-Resource-Policy": "cross-origin"})


@bp.route("/chat/{widget_key}/status", methods=["GET"], cors=CORS)
@api("Whether the business is open and an agent is free (the widget's first question)",
     params=KEY, public=True, tag="chat")
def chat_status(widget_key: str) -> Any:
    from chalicelib.wiring import get_chat_visitors

    return get_chat_visitors().status(widget_key, source_ip(bp.current_request))


@bp.route("/chat/{widget_key}/conversations", methods=["POST"], cors=CORS)
@api("Start a web chat: a conversation id and its visitor token", body=START, params=KEY,
     public=True, tag="chat")
def start_chat(widget_key: str) -> Any:
    from chalicelib.wiring import get_chat_visitors

    request = bp.current_request
    return get_chat_visitors().start(widget_key, json_body(request), source_ip(request))


@bp.route("/chat/conversations/{conversation_id}/messages", methods=["POST"], cors=CORS)
@api("The visitor writes (visitor token)", body=SEND, params=CONVERSATION, public=True,
     tag="chat")
def visitor_send(conversation_id: str) -> Any:
    from chalicelib.wiring import get_chat_visitors

    r = bp.current_request
    return get_chat_visitors().send(bearer_token(r), conversation_id, json_body(r),
                                    source_ip(r))


@bp.route("/chat/conversations/{conversation_id}/messages", methods=["GET"], cors=CORS)
@api("The thread once it has more than `after` messages or its state is not `state`; "
     "waits up to `wait` seconds",
     params=CONVERSATION, query=READ, public=True, tag="chat")
def visitor_read(conversation_id: str) -> Any:
    from chalicelib.wiring import get_chat_visitors

    r = bp.current_request
    after, wait = int(query_param(r, "after") or 0), int(query_param(r, "wait") or 0)
    return get_chat_visitors().read(bearer_token(r), conversation_id, after, wait,
                                    source_ip(r), query_param(r, "state"))
