"""The web phone: a keypad page served by the simulator (plain HTML, CSS and JS)."""

from __future__ import annotations

from importlib import resources

from sim.http import Request, Response, Router

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
FILES = ("phone.html", "phone.css", "phone.js")


def _static(name: str) -> Response:
    body = resources.files("sim").joinpath("static", name).read_bytes()
    suffix = name[name.rfind("."):]
    return Response(200, body, TYPES.get(suffix, "application/octet-stream"),
                    {"Cache-Control": "no-store"})


def register(router: Router) -> None:
    def page(request: Request) -> Response:
        return _static("phone.html")

    router.add("GET", "/", page)
    router.add("GET", "/phone", page)
    def asset(request: Request) -> Response:
        name = request.params["name"]
        if name not in FILES:
            return Response.json({"error": "not found"}, 404)
        return _static(name)

    router.add("GET", "/static/{name}", asset)
