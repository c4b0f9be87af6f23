"""Align: a coaching agent for leaders.

`from agent import Coach` gives the conversation; the engines live in their modules
(`agent.smart`, `agent.vision`, `agent.decision`, `agent.priorities`, `agent.guidance`).
Nothing heavy is imported here, so `align --help` stays fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Coach"]


def __getattr__(name: str) -> Any:
    if name == "Coach":
        from agent.coach import Coach

        return Coach
    raise AttributeError(f"module 'agent' has no attribute {name!r}")
