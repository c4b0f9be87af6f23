"""Privacy: the offline coach opens no connection at all, and API keys are never written down.

The offline check runs a whole conversation in a real process whose socket layer refuses
every outgoing connection and every name lookup, loopback included, and records each
attempt: a library phoning home (telemetry, a model download) would show up here even
from a background thread. The key check runs the LLM path against the loopback server
with logging turned up to DEBUG everywhere, then searches every log line, every byte the
commands printed, the database (and its write-ahead log), the index and the exports.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from fake_openai import FakeOpenAI, fake_openai  # noqa: F401  (the fixture)

from agent.cli import run

# Installed before Align is imported: any connect() or DNS lookup is recorded and refused.
GUARD = """
import socket, sys
attempts = []
def refuse(what):
    def blocked(*args, **kwargs):
        attempts.append(what + " " + repr(args[1:] if what == "connect" else args)[:120])
        raise OSError(101, "network blocked by the privacy test")
    return blocked
socket.socket.connect = refuse("connect")
socket.socket.connect_ex = refuse("connect")
socket.getaddrinfo = refuse("getaddrinfo")
socket.create_connection = refuse("create_connection")
import atexit
atexit.register(lambda: attempts and sys.stderr.write("NETWORK ATTEMPTS: %r\\n" % attempts))
from agent.cli import run
code = run(sys.argv[1:])
sys.stdout.flush()
import threading, time
time.sleep(0.5)  # give background threads (telemetry, downloads) their chance to try
sys.exit(code)
"""

CONVERSATION = [
    "My values are family, candour and craft",
    "I want to get better at giving feedback",
    "Give each of my 6 direct reports written feedback every other Friday",
    "by the end of March 2027",
    "8/10, using our one-to-one template",
    "it serves candour",
    "Draft me a vision statement",
    "A team people want to join, and evenings with my kids",
    "Should I take the travel-heavy COO role or stay as VP Engineering?",
    "How do I stop answering messages at 10pm?",
    "Sort these: fix the outage today, plan the offsite next spring, answer the survey",
    "/quit",
]


def guarded(home: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ALIGN_", "HF_"))}
    env.update(ALIGN_HOME=str(home), HF_HUB_OFFLINE="0")  # offline must not need the flag
    return subprocess.run([sys.executable, "-c", GUARD, *argv], input=stdin.encode(),
                          capture_output=True, timeout=180, env=env)


def test_a_whole_offline_conversation_opens_no_connection_at_all(tmp_path):
    home = tmp_path / "home"
    done = guarded(home, "chat", "--json", "--today", "2026-11-22", stdin="\n".join(CONVERSATION) + "\n")
    assert b"NETWORK ATTEMPTS" not in done.stderr, done.stderr.decode()
    assert done.returncode == 0, done.stderr.decode()
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(replies) == len(CONVERSATION) - 1
    assert {r["provider"] for r in replies} == {"offline"}
    kinds = {record["kind"] for r in replies for record in r["records"]}
    assert {"smart_critique", "vision_draft", "decision", "answer", "priorities"} <= kinds
    # ...and the commands that build the index, search it and export what was saved.
    notes = tmp_path / "notes.md"
    notes.write_text("# Offsite\n\nBook the Porto venue by March.\n", encoding="utf-8")
    for argv in (["index", str(notes)], ["ask", "When is the Porto venue booked?"],
                 ["records", "export", "--format", "json"], ["critique", "Run a 5k", "--value", "health"]):
        done = guarded(home, *argv)
        assert b"NETWORK ATTEMPTS" not in done.stderr, (argv, done.stderr.decode())
        assert done.returncode == 0, (argv, done.stderr.decode())


def test_the_guard_itself_catches_a_connection(tmp_path):
    # The check above would pass vacuously if the guard caught nothing.
    code = GUARD.replace("from agent.cli import run", "import urllib.request\n"
                         "try:\n    urllib.request.urlopen('http://127.0.0.1:9/')\nexcept OSError:\n    pass\n"
                         "run = lambda argv: 0")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert b"NETWORK ATTEMPTS" in done.stderr


SECRET = "sk-test-Pr1vacy-0123456789abcdef"


def _every_file_under(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file())


def test_an_api_key_never_reaches_logs_records_exports_or_output(
        fake_openai, monkeypatch, capsys, caplog, align_home, tmp_path):  # noqa: F811
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.url)
    caplog.set_level(logging.DEBUG)  # openai, httpx, langchain and ours, all of them
    fake_openai.enqueue(
        FakeOpenAI.tool_call("critique_goal", {"goal": "Run a 5k by June 2027"}),
        FakeOpenAI.text("Here is your critique."),
        # The server echoes the key in its error, as OpenAI does for a wrong one.
        FakeOpenAI.error(401, f"Incorrect API key provided: {SECRET}"),
        FakeOpenAI.error(429, f"rate limit for key {SECRET}", headers={"Retry-After": "5"}),
    )
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(
        "My goal: run a 5k by June 2027\nhello\nagain\n"))
    assert run(["chat", "--json", "--today", "2026-11-22"]) == 0
    chat_out = capsys.readouterr()
    replies = [json.loads(line) for line in chat_out.out.splitlines()]
    assert replies[0]["provider"] == "openai" and replies[1]["provider"] == "offline"
    # The key did go where it was configured to go, so the search below means something.
    assert fake_openai.chat_requests[0].headers["authorization"] == f"Bearer {SECRET}"

    outputs = [chat_out.out, chat_out.err]
    for argv in (["records", "export", "--format", "json"], ["records", "export", "--format", "md"],
                 ["records", "list"], ["profile", "--json"], ["--help"]):
        assert run(argv) == 0
        outputs.extend(capsys.readouterr())
    assert run(["records", "export", "--format", "json", "--output", str(tmp_path / "plan.json")]) == 0
    capsys.readouterr()

    assert SECRET not in caplog.text
    assert all(SECRET not in text for text in outputs)
    secret = SECRET.encode()
    assert secret not in _every_file_under(align_home)  # database, WAL, index, sessions
    assert secret not in (tmp_path / "plan.json").read_bytes()


def test_settings_never_print_the_key(monkeypatch):
    from agent.settings import Settings

    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    settings = Settings()
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())
    assert SECRET not in settings.model_dump_json()
