"""Runs the packaged handler the way Lambda does, in an interpreter that sees only the
unpacked artifact and the standard library. Standard library only: it is started as
`python -I -S driver.py TASK_DIR LAYER_DIR...` (no site-packages, no script folder, no
PYTHON* variables), so nothing from the repo or the venv can be imported.

Protocol (one JSON object per line):
- first it prints `READY {...}`: the cold import time of `app`, sys.path, and every
  loaded module's file that is neither in the artifact nor in the standard library;
- then, for each request read from stdin, `{"id": 1, "handler": "app.app",
  "event": {...}, "remaining_ms": 15000}`, it calls that handler (any function's
  Handler in the template) with the event and a Lambda context, and prints
  `RESPONSE <id> {...}`, its answer. An empty line or end of input stops it.
The function's own output (powertools' EMF metrics are printed) shares stdout.
"""

from __future__ import annotations

import faulthandler
import importlib
import json
import os
import signal
import sys
import sysconfig
import time
import traceback
import uuid

MARK_READY, MARK_RESPONSE = "READY ", "RESPONSE "
ERROR = "__handler_error__"


class LambdaContext:
    """The attributes of Lambda's context object that a handler may read."""

    function_name = "hotline-artifact"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:hotline-artifact"
    log_group_name = "/aws/lambda/hotline-artifact"
    log_stream_name = "artifact"

    def __init__(self, remaining_ms: int) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self._deadline = time.monotonic() + remaining_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


def _allowed(roots: list[str]) -> tuple[str, ...]:
    stdlib = [sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib")]
    zipped = os.path.join(sys.base_prefix, "lib", f"python{sys.version_info[0]}"
                          f"{sys.version_info[1]}.zip")
    return (*roots, *stdlib, zipped)


def _outside(roots: list[str]) -> list[str]:
    """Loaded modules' files that are neither the artifact's nor the standard library's
    (the driver itself, __main__, is a copy outside the repo)."""
    allowed = _allowed(roots)
    files = (getattr(module, "__file__", None) for name, module in list(sys.modules.items())
             if name != "__main__")
    return sorted({f for f in files if f and not f.startswith(allowed)})


def main(argv: list[str]) -> int:
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # the harness asks on a timeout
    roots = argv[1:]
    sys.path[:0] = roots  # /var/task, then the layer's folders, as on Lambda
    started = time.perf_counter()
    import app  # the handler, from the artifact

    imported = time.perf_counter() - started
    out = sys.stdout
    ready = {"import_seconds": imported, "sys_path": sys.path, "app_file": app.__file__,
             "foreign_sys_path": [p for p in sys.path if not p.startswith(_allowed(roots))],
             "outside": _outside(roots), "flags": {"isolated": sys.flags.isolated,
                                                   "no_site": sys.flags.no_site}}
    out.write(MARK_READY + json.dumps(ready) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            break
        request = json.loads(line)
        module, _, name = request["handler"].rpartition(".")
        handler = getattr(importlib.import_module(module), name)
        try:
            response = handler(request["event"], LambdaContext(request["remaining_ms"]))
        except Exception:  # as Lambda does: the invocation fails, the container lives on
            response = {ERROR: traceback.format_exc()}
        out.write(f"{MARK_RESPONSE}{request['id']} {json.dumps(response, default=str)}\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
