"""The planner is a tool: the deployed package (the wheel, and the image built from backend/)
holds no capacity code and imports none of its load-testing or charting libraries."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "backend" / "paytungan"
# Top-level modules only the tools use: an import of one in the app would pull them into the image.
TOOL_MODULES = {"capacity", "locust", "matplotlib", "gevent", "yaml"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_of_the_deployed_package_imports_a_tool():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top in TOOL_MODULES or name.startswith("paytungan.capacity"):
                offenders.append(f"{path.relative_to(ROOT)}: import {name}")
    assert offenders == []


def test_the_deployed_package_has_no_capacity_code():
    found = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*capacity*")]
    assert found == []


def test_the_wheel_packages_only_the_app_and_declares_no_tool_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["backend/paytungan"]
    scripts = project["project"].get("scripts", {})
    assert not [s for s in scripts.values() if "capacity" in s]
    runtime = " ".join(project["project"]["dependencies"]).lower()
    assert "locust" not in runtime
    assert "matplotlib" not in runtime


def test_the_image_copies_no_tool_directory():
    # deploy/Dockerfile's build-context COPY lines (not the --from=build ones): sources are named
    # one by one, never the whole context ("."), and never capacity/.
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    sources: list[str] = []
    for line in dockerfile.splitlines():
        match = re.match(r"^COPY\s+(?!--from)(.+)$", line.strip())
        if match:
            sources += match.group(1).split()[:-1]
    assert sources, "no COPY line found in deploy/Dockerfile"
    assert "." not in sources
    assert not [s for s in sources if s.rstrip("/").split("/")[0] == "capacity"]
