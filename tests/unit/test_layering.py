"""The layering rules of docs/conventions.md, read from the source: the domain is pure,
services and the JSON/webhook edge never reach into DynamoDB's adapters or the wiring,
and app.py and the route modules import nothing heavy at module level (cold start)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = ("boto3", "botocore", "pynamodb", "chalice", "twilio")
HEAVY = ("boto3", "botocore", "pynamodb", "twilio.rest", "liquid",
         "aws_lambda_powertools.metrics")


def imports(path: Path, *, top_level_only: bool = False) -> Iterator[tuple[int, str]]:
    """(line, module) for each import in ``path`` (module level only, if asked)."""
    tree = ast.parse(path.read_text(), str(path))
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def offending(paths: list[Path], banned: tuple[str, ...], *,
              top_level_only: bool = False) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {module}"
            for path in paths
            for line, module in imports(path, top_level_only=top_level_only)
            if any(module == b or module.startswith(b + ".") for b in banned)]


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_the_domain_imports_no_provider_library() -> None:
    assert offending(sources("chalicelib/domain"), PROVIDERS) == []


def test_services_never_import_the_wiring_or_dynamodb_adapters() -> None:
    banned = ("chalicelib.wiring", "chalicelib.adapters.dynamo", *PROVIDERS[:3])
    assert offending(sources("chalicelib/services"), banned) == []


def test_routes_reach_dynamodb_only_through_the_wiring() -> None:
    assert offending(sources("chalicelib/routes"), ("chalicelib.adapters.dynamo",)) == []


def test_app_and_routes_import_nothing_heavy_at_module_level() -> None:
    paths = [ROOT / "app.py", *sources("chalicelib/routes")]
    assert offending(paths, HEAVY, top_level_only=True) == []
