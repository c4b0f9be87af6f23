"""The CLI's shared contract: help is fast and light, mistakes exit 2 with one line."""

from __future__ import annotations

import subprocess
import sys

from agent.cli import COMMANDS, run

HEAVY = ("chromadb", "langchain", "langchain_core", "streamlit", "onnxruntime", "openai")


def test_help_lists_every_command(capsys):
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_help_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from agent.cli import run\n"
        "status = run(['--help'])\n"
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(status, loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "0 []"


def test_every_command_has_help(capsys):
    for name in COMMANDS:
        assert run([name, "--help"]) == 0, name
    capsys.readouterr()


def test_unknown_command_is_a_one_line_usage_error(capsys):
    assert run(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("align: ")
    assert "frobnicate" in err


def test_bad_global_option_is_a_one_line_usage_error(capsys):
    assert run(["--provider", "claude", "critique", "x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "claude" in err
