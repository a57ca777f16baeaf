"""Lazily built services: nothing heavy is imported until a route first needs it.

Each ``get_...()`` builds its service once per Lambda container (warm invocations reuse
it). Routes call these inside their handlers, never at import time.

The getters live in modules by capability (``core``, ``webhooks``, ``routing``, ``calls``,
``crm``) and are all re-exported here. They call one another through this package
(``wiring.get_...()``), so a test that replaces one getter here replaces it everywhere.
"""

from __future__ import annotations

from chalicelib.wiring.accounts import *  # noqa: F403
from chalicelib.wiring.billing import *  # noqa: F403
from chalicelib.wiring.calls import *  # noqa: F403
from chalicelib.wiring.core import *  # noqa: F403
from chalicelib.wiring.crm import *  # noqa: F403
from chalicelib.wiring.integrations import *  # noqa: F403
from chalicelib.wiring.operator import *  # noqa: F403
from chalicelib.wiring.routing import *  # noqa: F403
from chalicelib.wiring.shared_numbers import *  # noqa: F403
from chalicelib.wiring.tenancy import *  # noqa: F403
from chalicelib.wiring.webhooks import *  # noqa: F403
