"""The deployment artifact runs on its own: unpacked into an empty folder and imported in
an interpreter that sees only it and the standard library, its handler signs a business
up and takes the business's first call, through API Gateway events, on DynamoDB Local
and the carrier simulator."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from devtools.package import ROOT, Artifact
from tests.artifact.conftest import PUBLIC_BASE_URL
from tests.artifact.harness import (
    FakeSecretsManager,
    IsolatedHandler,
    api_event,
    json_event,
    scheduled_event,
    signed_form_event,
)

pytestmark = [pytest.mark.artifact, pytest.mark.ddb]

SORRY = "Sorry, we can't take your call right now"


def names(artifact: Artifact) -> set[str]:
    with zipfile.ZipFile(artifact.app_zip) as zf:
        return set(zf.namelist())


def test_function_zip_holds_the_default_flows_pages_and_browser_bundles(
        artifact: Artifact) -> None:
    shipped = names(artifact)
    for flow in sorted((ROOT / "flows").glob("*.json")):
        assert f"chalicelib/bundled_flows/{flow.name}" in shipped
    for page in sorted((ROOT / "chalicelib" / "web").rglob("*")):
        if page.is_file():
            assert page.relative_to(ROOT).as_posix() in shipped
    assert any(name.startswith("chalicelib/web/vendor/") for name in shipped)
    assert "app.py" in shipped and "__pycache__/app.cpython-311.pyc" in shipped


def test_nothing_dev_only_ships(artifact: Artifact) -> None:
    tops = {name.split("/")[0] for name in names(artifact)}
    assert tops <= {"app.py", "__pycache__", "chalice", "chalicelib"}, tops


def test_every_module_ships_with_its_bytecode(artifact: Artifact) -> None:
    for zip_path in artifact.zips:
        with zipfile.ZipFile(zip_path) as zf:
            shipped = set(zf.namelist())
        modules = [n for n in shipped if n.endswith(".py") and n.startswith(("chalicelib/",
                                                                              "python/"))]
        missing = [n for n in modules if f"{Path(n).parent.as_posix()}/__pycache__/"
                   f"{Path(n).stem}.cpython-311.pyc" not in shipped]
        # some packages ship templates named .py that are not Python 3.11 source
        assert len(missing) <= len(modules) // 100, missing[:10]


def test_handler_imports_from_the_artifact_alone(handler: IsolatedHandler,
                                                 secrets_manager: FakeSecretsManager,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    ready = handler.ready
    assert secrets_manager.reads == []  # nothing on the cold path
    assert ready["flags"] == {"isolated": 1, "no_site": 1}
    assert ready["foreign_sys_path"] == []
    assert not [p for p in ready["sys_path"] if p.startswith(str(ROOT))]
    assert not ready["app_file"].startswith(str(ROOT))
    assert ready["outside"] == []
    with capsys.disabled():
        print(f"\n[artifact] cold import of app from the artifact: "
              f"{ready['import_seconds'] * 1000:.0f} ms")


def test_packaged_handler_signs_a_business_up_and_takes_its_first_call(
        handler: IsolatedHandler, carrier: Any, artifact: Artifact,
        secrets_manager: FakeSecretsManager, capsys: pytest.CaptureFixture[str]) -> None:
    # given a business signing up through the packaged handler
    email = f"owner-{uuid.uuid4().hex[:8]}@artifact.example.com"
    signup = handler.invoke(json_event("POST", "/api/signup", {
        "business_name": "Artifact Water", "name": "Ada Owner", "email": email,
        "password": "a-long-enough-password", "timezone": "America/New_York",
        "area_code": "415"}))
    assert signup["statusCode"] in (200, 201), (signup, handler.log_tail())
    tenant = json.loads(signup["body"])["tenant"]

    # then it owns the number the carrier sold it, pointed at the deployed webhook
    with carrier.sim.store.lock:
        bought = carrier.sim.store.number_for(tenant["number"])
        assert bought is not None, tenant
        account = carrier.sim.store.accounts[bought.account_sid]
        voice_url, token = bought.voice_url, account.auth_token
    assert tenant["number"].startswith("+1415")
    assert account.owner_sid is not None
    assert voice_url == PUBLIC_BASE_URL + "/twilio/voice"

    # when its first call arrives, signed by the number's account
    call = handler.invoke(signed_form_event("/twilio/voice", {
        "AccountSid": bought.account_sid, "CallSid": "CA" + uuid.uuid4().hex,
        "From": "+14155550142", "To": tenant["number"], "CallStatus": "ringing",
        "Direction": "inbound", "ApiVersion": "2010-04-01"}, PUBLIC_BASE_URL, token))

    # then the caller hears the default flow's greeting, not the apology
    assert call["statusCode"] == 200, (call, handler.log_tail())
    assert "Thanks for calling Artifact Water" in call["body"], (call, handler.log_tail())
    assert SORRY not in call["body"]
    # and the stage's secret was read from Secrets Manager once for the container
    assert secrets_manager.reads == ["hotline-dev"]
    with capsys.disabled():
        for line in artifact.summary():
            print(f"[artifact] {line}")


def test_every_function_of_the_template_runs_from_the_artifact(
        handler: IsolatedHandler, template: dict[str, Any]) -> None:
    # given the template's functions: the API and the scheduled routing sweep
    functions = {name: resource["Properties"]["Handler"]
                 for name, resource in template["Resources"].items()
                 if resource["Type"] == "AWS::Serverless::Function"}
    assert functions["APIHandler"] == "app.app"
    sweep = functions["RoutingSweep"]
    # when EventBridge's schedule fires with a few seconds left for one pass
    answer = handler.invoke(scheduled_event(), handler=sweep, remaining_ms=6_000)
    # then the sweep's handler imports from the artifact and completes its pass
    assert answer is None, (answer, handler.log_tail())


def test_packaged_handler_serves_the_pages_and_the_vendored_voice_sdk(
        handler: IsolatedHandler, artifact: Artifact) -> None:
    # given the agent desktop's page and the Voice SDK bundle it loads, from the zip
    with zipfile.ZipFile(artifact.app_zip) as zf:
        bundles = [n for n in zf.namelist()
                   if n.startswith("chalicelib/web/vendor/") and n.endswith(".js")]
        assert bundles
        bundle = zf.read(bundles[0]).decode()
    name = Path(bundles[0]).name
    # when a browser asks the deployed API for them
    page = handler.invoke(api_event("GET", "/agent"))
    script = handler.invoke(api_event("GET", f"/vendor/{name}", resource="/vendor/{name}",
                                      path_params={"name": name}))
    # then both come from the package
    assert page["statusCode"] == 200, (page, handler.log_tail())
    assert "<html" in page["body"].lower()
    assert script["statusCode"] == 200, (script["statusCode"], handler.log_tail())
    assert script["body"] == bundle


LAMBDA_GLIBC = (2, 26)  # python3.11 runs on Amazon Linux 2


def _runs_on_lambda(tag: str) -> bool:
    """A wheel tag Lambda's CPython 3.11 on x86_64 (Amazon Linux 2, glibc 2.26) accepts."""
    python, abi, platform = tag.split("-")
    if abi not in ("none", "abi3", "cp311") or not python.startswith(("py3", "py2", "cp3")):
        return False
    if platform == "any":
        return True
    legacy = {"manylinux1_x86_64": (2, 5), "manylinux2010_x86_64": (2, 12),
              "manylinux2014_x86_64": (2, 17)}
    if platform in legacy:
        return legacy[platform] <= LAMBDA_GLIBC
    parts = platform.split("_")
    if parts[0] != "manylinux" or not platform.endswith("x86_64"):
        return False
    return (int(parts[1]), int(parts[2])) <= LAMBDA_GLIBC


def test_every_dependency_is_a_wheel_for_lambdas_python_and_architecture(
        artifact: Artifact) -> None:
    assert artifact.layer_zip is not None
    with zipfile.ZipFile(artifact.layer_zip) as zf:
        wheels = {name.split("/")[-2]: [line.split(":", 1)[1].strip()
                                        for line in zf.read(name).decode().splitlines()
                                        if line.startswith("Tag:")]
                  for name in zf.namelist() if name.endswith(".dist-info/WHEEL")}
        native = [n for n in zf.namelist() if n.endswith(".so") and ".cpython-" in n]
    assert wheels
    refused = {dist: tags for dist, tags in wheels.items()
               if not any(_runs_on_lambda(tag) for tag in tags)}
    assert refused == {}
    assert all("cpython-311-x86_64-linux-gnu" in n for n in native), native
