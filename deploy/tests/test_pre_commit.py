"""The pre-commit hooks are the static part of `make test`, run from the project's own tools."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_every_hook_is_local_so_nothing_is_fetched() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert {hook["language"] for hook in _hooks().values()} == {"system"}


def test_the_hooks_cover_the_static_targets_of_make_test() -> None:
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^test-backend: (.+)$", makefile, re.MULTILINE)
    assert match
    static = set(match.group(1).split()) - {"pytest"}
    hooks = _hooks()
    made = {h["entry"].split()[-1] for h in hooks.values() if h["entry"].startswith("make ")}
    # `make lint` is ruff check, ruff format --check and lint-imports: one hook each.
    assert static - made == {"lint"}
    assert {"ruff-check", "ruff-format", "import-linter"} <= set(hooks)
    frontend = re.search(r"^frontend-check: .*\n\tcd frontend && (.+(?:\n\t\t.+)*)", makefile, re.M)
    assert frontend
    scripts = set(re.findall(r"npm run --silent ([\w:-]+)", frontend.group(1))) - {"test"}
    in_hooks = {
        s for h in hooks.values() for s in re.findall(r"npm run --silent ([\w:-]+)", h["entry"])
    }
    assert scripts == in_hooks  # vitest stays in make test, like pytest


def test_shellcheck_sees_the_same_files_as_deploy_check() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(_hooks()["shellcheck"]["files"])
    hooked = {path for path in tracked if pattern.search(path)}
    run_sh = (ROOT / "deploy" / "checks" / "run.sh").read_text()
    match = re.search(r"^shell_scripts=\((.+)\)$", run_sh, re.MULTILINE)
    assert match
    checked = {str(p.relative_to(ROOT)) for g in match.group(1).split() for p in ROOT.glob(g)}
    assert hooked == checked
    assert hooked  # the patterns still find something
