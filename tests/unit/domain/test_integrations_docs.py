"""The signature-verification snippet in docs/integrations.md works against Hotline's own
signer, so a tenant's developer can copy it as it is."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from chalicelib.domain.integrations import signature_header

DOC = Path(__file__).resolve().parents[3] / "docs" / "integrations.md"


def snippet() -> dict[str, Any]:
    text = DOC.read_text()
    code = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert code is not None, "docs/integrations.md has no python snippet"
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)
    return namespace


def test_the_documented_snippet_verifies_a_hotline_signature_and_refuses_tampering():
    verify = snippet()["verify"]
    body = '{"id":"evt_1","type":"voicemail.received","data":{}}'
    header = signature_header("whsec_abc", int(time.time()), body)
    assert verify(header, body.encode(), "whsec_abc") is True
    assert verify(header, body.encode() + b" ", "whsec_abc") is False
    assert verify(header, body.encode(), "whsec_other") is False
    stale = signature_header("whsec_abc", int(time.time()) - 3600, body)
    assert verify(stale, body.encode(), "whsec_abc") is False
