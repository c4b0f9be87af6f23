"""The README's commands are the ones CI runs, so the docs cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_command(heading: str) -> str:
    """The first command in the fenced block under a '## <heading>' of the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {heading}\b.*?```(?:bash|sh)?\n(.*?)```", text, re.S | re.M)
    assert match, f"README has no fenced command under '## {heading}'"
    lines = [line.strip() for line in match.group(1).splitlines()]
    return next(line for line in lines if line and not line.startswith("#"))


def ci_commands() -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines
            if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]


def test_ci_runs_exactly_the_readme_install_and_test_commands():
    assert ci_commands() == [readme_command("Install"), readme_command("Test")]


def test_readme_has_a_run_command():
    assert readme_command("Run").startswith("align ")
