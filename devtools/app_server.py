"""`chalice local`, with a listen backlog that holds a burst of webhooks.

Chalice's local server is a ``socketserver`` HTTP server, whose listen backlog is 5: a
burst of simultaneous webhooks (Twilio sends one per call event, and a busy minute sends
dozens at once) overflows it and the kernel resets the extra connections. This runs the
same server Chalice's CLI builds (same app, config, handler and route checks) with a
backlog of ``BACKLOG``, and routes every HTTP method to the app (which answers 405 for a
method a route does not take) instead of the standard library's 501.

    python -m devtools.app_server --host 127.0.0.1 --port 8000 --stage local
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from chalice.local import ChaliceRequestHandler, LocalDevServer, ThreadedHTTPServer

from devtools.stack import ROOT

BACKLOG = 512


class BurstTolerantServer(ThreadedHTTPServer):
    request_queue_size = BACKLOG


class RequestHandler(ChaliceRequestHandler):
    """Chalice's handler for every method: the standard library answers a method it has no
    ``do_<METHOD>`` for (TRACE, QUERY...) with 501; API Gateway refuses it with a 4xx, and
    the app's router answers 405."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_") and name[3:].isalpha() and name[3:].isupper():
            return self._generic_handle
        raise AttributeError(name)


def build(host: str, port: int, stage: str) -> LocalDevServer:
    """What `chalice local` builds (chalice.cli.create_local_server), with our server."""
    from chalice.cli.factory import CLIFactory
    from chalice.deploy.validate import validate_routes
    from chalice.local import CustomLocalChalice, LocalChalice

    os.environ["AWS_CHALICE_CLI_MODE"] = "true"
    os.chdir(ROOT)
    factory = CLIFactory(str(ROOT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=stage)
    app = config.chalice_app
    validate_routes(app.routes)
    # Chalice's local mode: a per-thread current_request, local authorizers and context.
    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    return LocalDevServer(app, config, host, port, handler_cls=RequestHandler,
                          server_cls=BurstTolerantServer)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stage", default="local")
    args = parser.parse_args(argv)
    # As `chalice local` does: the root logger on stdout, like Lambda's log stream.
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    server = build(args.host, args.port, args.stage)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
