"""Benchmark: model calls and tokens per typical turn of the LLM coach.

Runs the real coach against the scripted OpenAI-compatible server of the tests
(tests/fake_openai.py) on loopback, over real HTTP. The server sends no `usage`, so the
token figures are Align's own estimate (`count_tokens_approximately`) of what each turn
really sends: system prompt, context, history, tool schemas and tool results. Nothing
leaves the machine.

    python -m evals.bench_llm
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_openai import FakeOpenAI  # noqa: E402

from agent.coach import Coach, Session  # noqa: E402
from agent.settings import Settings  # noqa: E402

TODAY = date(2026, 11, 22)
GOAL = "Get better at delegating to my leads"


def _scenarios(f: type[FakeOpenAI]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(name, message, scripted replies) for each typical turn."""
    return [
        ("greeting, plain reply", "Hi, I'd like some coaching.",
         [f.text("Happy to help. What is on your mind?", usage=None)]),
        ("goal critique, one tool round", f"My goal: {GOAL}",
         [f.tool_call("critique_goal", {"goal": GOAL}, usage=None),
          f.text("A good direction. What would show you it is working?", usage=None)]),
        ("guidance search, one tool round", "How do I delegate without micromanaging?",
         [f.tool_call("search_guidance", {"query": "delegate without micromanaging"}, usage=None),
          f.text("Delegate the outcome, not the steps, and agree on check-ins.", usage=None)]),
        ("decision framing, one tool round", "Should I take the regional director role?",
         [f.tool_call("frame_decision", {"question": "Should I take the regional director role?",
                                         "options": ["Take it", "Stay"]}, usage=None),
          f.text("Let's weigh it. How much does family time matter here?", usage=None)]),
        ("HTTP 500, offline fallback", "Anything else?", [f.error(500)]),
        ("looping model, capped", f"My goal: {GOAL}",
         [f.tool_call("critique_goal", {"goal": GOAL}, call_id=f"c{i}", usage=None)
          for i in range(5)]),
    ]


def run() -> list[dict[str, Any]]:
    """Run every scenario in one conversation; one row per turn, plus the session's total."""
    server = FakeOpenAI().start()
    rows: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as home:
            settings = Settings(home=Path(home), provider="openai", base_url=server.url,
                                model="bench-model", timeout=10)
            coach = Coach(settings)
            session = Session()
            # Warm up (imports, embedding model, guidance index) outside the measured turns.
            server.enqueue(FakeOpenAI.tool_call("search_guidance", {"query": "goals"}),
                           FakeOpenAI.tool_call("critique_goal", {"goal": "Write a book"}),
                           FakeOpenAI.text("ok"))
            coach.reply(Session(), "warm-up", today=TODAY)
            server.replies.clear()
            for name, message, replies in _scenarios(FakeOpenAI):
                before = len(server.chat_requests)
                server.enqueue(*replies)
                start = time.perf_counter()
                turn = coach.reply(session, message, today=TODAY)
                seconds = time.perf_counter() - start
                server.replies.clear()
                sent = server.chat_requests[before:]
                rows.append({
                    "turn": name, "provider": turn.provider, "calls": turn.calls,
                    "input_tokens": turn.input_tokens, "output_tokens": turn.output_tokens,
                    "request_kb": sum(len(json.dumps(r.body)) for r in sent) / 1024,
                    "ms": seconds * 1000,
                })
            rows.append({"turn": "session total", "provider": "", "calls": session.calls,
                         "input_tokens": session.input_tokens,
                         "output_tokens": session.output_tokens,
                         "request_kb": sum(r["request_kb"] for r in rows),
                         "ms": sum(r["ms"] for r in rows)})
    finally:
        server.stop()
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a plain-text table."""
    header = (f"{'turn':34} {'answered by':11} {'calls':>5} {'in tok':>7} {'out tok':>7} "
              f"{'sent KB':>8} {'ms':>7}")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(f"{r['turn']:34} {r['provider']:11} {r['calls']:>5} {r['input_tokens']:>7} "
                     f"{r['output_tokens']:>7} {r['request_kb']:>8.1f} {r['ms']:>7.0f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
    print("\ntokens: count_tokens_approximately of what was sent (the server gave no usage);"
          "\nms: wall time of the turn on this machine, after a warm-up turn.")
