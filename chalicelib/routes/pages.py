"""The web pages: HTML read from chalicelib/web at request time, and their static files.

Every page and script uses relative URLs (``static/app.css``, ``api/me``), so the pages
work under an API Gateway stage prefix (``/v1/agent`` fetches ``/v1/api/me``).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from chalice import Blueprint
from chalice.app import Request, Response

bp = Blueprint(__name__)

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
STATIC_ROOT = WEB_ROOT / "static"
# Browser bundles copied from npm packages by devtools/vendor.py (git-ignored, never edited).
VENDOR_ROOT = WEB_ROOT / "vendor"

CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
# One flat folder of plainly named files: no slashes, no dot-files, no "..".
STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*\.(css|js|svg)$")


def _origin(url: str | None) -> str:
    match = re.match(r"^(https?://[^/?#]+)", url or "")
    return f" {match.group(1)}" if match else ""


# Twilio's Voice SDK signals over wss://*.twilio.com and reports to https://*.twilio.com;
# in local mode the desktop's device adapter talks to the carrier simulator's origin.
CONNECT_SRC = ("'self' https://*.twilio.com wss://*.twilio.com"
               + _origin(os.environ.get("TWILIO_API_BASE")))
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"media-src 'self' blob: https://sdk.twilio.com; connect-src {CONNECT_SRC}; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PAGE_CACHE = "no-cache"
STATIC_CACHE = "public, max-age=300, must-revalidate"


def _not_found(what: str) -> Response:
    return Response(body=f"{what} not found\n", status_code=404,
                    headers={"Content-Type": "text/plain; charset=utf-8",
                             "Cache-Control": "no-store", **SECURITY_HEADERS})


def _etags_sent(request: Request) -> list[str]:
    sent = request.headers.get("if-none-match", "") if request.headers else ""
    return [tag.strip() for tag in str(sent).split(",")]


def _file_response(path: Path, content_type: str, cache: str) -> Response:
    data = path.read_bytes()
    etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
    headers: dict[str, str | list[str]] = {"Content-Type": content_type,
                                           "Cache-Control": cache, "ETag": etag,
                                           **SECURITY_HEADERS}
    if etag in _etags_sent(bp.current_request):
        return Response(body="", status_code=304, headers=headers)
    return Response(body=data.decode("utf-8"), status_code=200, headers=headers)


def _page(name: str) -> Response:
    path = WEB_ROOT / f"{name}.html"
    if not path.is_file():
        return _not_found("page")
    return _file_response(path, "text/html; charset=utf-8", PAGE_CACHE)


@bp.route("/", methods=["GET"])
def landing_page() -> Response:
    return _page("index")


@bp.route("/signup", methods=["GET"])
def signup_page() -> Response:
    return _page("signup")


@bp.route("/login", methods=["GET"])
def login_page() -> Response:
    return _page("login")


@bp.route("/reset", methods=["GET"])
def reset_page() -> Response:
    return _page("reset")


@bp.route("/agent", methods=["GET"])
def agent_page() -> Response:
    return _page("agent")


@bp.route("/supervisor", methods=["GET"])
def supervisor_page() -> Response:
    return _page("supervisor")


@bp.route("/admin", methods=["GET"])
def admin_page() -> Response:
    return _page("admin")


@bp.route("/reports", methods=["GET"])
def reports_page() -> Response:
    return _page("reports")


@bp.route("/contacts", methods=["GET"])
def contacts_page() -> Response:
    return _page("contacts")


@bp.route("/flow", methods=["GET"])
def flow_page() -> Response:
    return _page("flow")


@bp.route("/operator", methods=["GET"])
def operator_page() -> Response:
    return _page("operator")


@bp.route("/bill", methods=["GET"])
def bill_page() -> Response:
    return _page("bill")


@bp.route("/integrations", methods=["GET"])
def integrations_page() -> Response:
    return _page("integrations")


@bp.route("/static/{name}", methods=["GET"])
def static_file(name: str) -> Response:
    if not STATIC_NAME.match(name):
        return _not_found("file")
    path = (STATIC_ROOT / name).resolve()
    if path.parent != STATIC_ROOT.resolve() or not path.is_file():
        return _not_found("file")
    return _file_response(path, CONTENT_TYPES[path.suffix], STATIC_CACHE)


@bp.route("/vendor/{name}", methods=["GET"])
def vendor_file(name: str) -> Response:
    if not STATIC_NAME.match(name) or not name.endswith(".js"):
        return _not_found("file")
    path = (VENDOR_ROOT / name).resolve()
    if path.parent != VENDOR_ROOT.resolve() or not path.is_file():
        return _not_found("file")
    return _file_response(path, CONTENT_TYPES[".js"], STATIC_CACHE)
