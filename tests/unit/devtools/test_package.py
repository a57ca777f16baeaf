"""The packager's own steps, on small zips: bytecode Lambda uses as is, the default flows
added, stale bytecode dropped, and the merged template finished for its stage."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from devtools.package import BUNDLED_FLOWS, _finish_template, _flow_files, _rewrite


def make_zip(path: Path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)


def test_rewritten_zip_carries_bytecode_that_is_used_whatever_the_file_times(
        tmp_path: Path) -> None:
    # given a zip with a package module and a stale pyc from a developer's tree
    original = tmp_path / "deployment.zip"
    make_zip(original, {"pkg/__init__.py": "", "pkg/mod.py": "VALUE = 1\n",
                        "pkg/__pycache__/mod.cpython-311.pyc": "stale"})
    # when it is rewritten
    compiled = _rewrite(original, extra={"pkg/data.json": "{}"})
    # then each module has fresh bytecode, the extra file is in, the stale one is gone
    with zipfile.ZipFile(original) as zf:
        names = set(zf.namelist())
        modes = {info.external_attr >> 16 & 0o777 for info in zf.infolist()}
        zf.extractall(tmp_path / "task")
    assert compiled == 2
    assert all(mode & 0o444 == 0o444 for mode in modes), modes  # readable by Lambda's user
    assert {"pkg/data.json", "pkg/__pycache__/mod.cpython-311.pyc",
            "pkg/__pycache__/__init__.cpython-311.pyc"} <= names
    # and an interpreter uses that bytecode even after the source changes (unchecked hash)
    (tmp_path / "task" / "pkg" / "mod.py").write_text("VALUE = 2\n")
    out = subprocess.run([sys.executable, "-I", "-S", "-c",
                          "import sys; sys.path.insert(0, sys.argv[1]); import pkg.mod; "
                          "print(pkg.mod.VALUE)", str(tmp_path / "task")],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "1"


def test_source_that_is_not_python_311_ships_without_bytecode(tmp_path: Path) -> None:
    original = tmp_path / "layer.zip"
    make_zip(original, {"lib/template.py": "print 'python 2'\n", "lib/ok.py": "X = 1\n"})
    assert _rewrite(original) == 1
    with zipfile.ZipFile(original) as zf:
        assert "lib/template.py" in zf.namelist()
        assert "lib/__pycache__/template.cpython-311.pyc" not in zf.namelist()


def test_every_default_flow_is_bundled_where_provisioning_looks() -> None:
    from chalicelib.services import provisioning

    bundled = _flow_files()
    for flow_id in provisioning.DEFAULT_FLOWS.values():
        assert f"{BUNDLED_FLOWS}/{flow_id}.json" in bundled
    assert BUNDLED_FLOWS == "chalicelib/" + "bundled_flows"
    assert provisioning.default_flows_dir().name in ("flows", "bundled_flows")


def test_merged_template_is_finished_for_its_stage(tmp_path: Path) -> None:
    # given Chalice's merged template for stage dev
    path = tmp_path / "sam.json"
    path.write_text("""{"Parameters": {"Stage": {"Type": "String", "Default": "prod"}},
      "Resources": {
        "APIHandler": {"Type": "AWS::Serverless::Function",
                       "Properties": {"Environment": {"Variables": {"HOTLINE_STAGE": "dev"}}}},
        "RoutingSweep": {"Type": "AWS::Serverless::Function", "Properties": {}},
        "ApiErrorsAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Dimensions": [
          {"Name": "FunctionName", "Value": {"Fn::Sub": "hotline-${Stage}"}}]}}}}""")
    # when it is finished
    _finish_template(path, "dev")
    template = json.loads(path.read_text())
    # then it defaults to its stage, every function learns its public URL, and the alarm
    # watches the function CloudFormation actually creates
    assert template["Parameters"]["Stage"]["Default"] == "dev"
    assert template["Parameters"]["PublicBaseUrl"]["Type"] == "String"
    for name in ("APIHandler", "RoutingSweep"):
        variables = template["Resources"][name]["Properties"]["Environment"]["Variables"]
        assert variables["PUBLIC_BASE_URL"] == {"Ref": "PublicBaseUrl"}
    assert template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"][
        "HOTLINE_STAGE"] == "dev"
    assert template["Resources"]["ApiErrorsAlarm"]["Properties"]["Dimensions"] == [
        {"Name": "FunctionName", "Value": {"Ref": "APIHandler"}}]
