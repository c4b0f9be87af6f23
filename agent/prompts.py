"""Prompt files: the LLM's prompts and the offline coach's reply templates.

Each file `prompts/<name>.yaml` holds a `description`, named `parts` (Jinja templates)
and `samples` (a value for every variable the parts use, so a test can render each
part). Rendering is strict: a missing variable is an error, never a silent blank.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"


class PromptFile(BaseModel):
    """The shape of a prompt file; unknown keys are an error (a typo never goes unseen)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    description: str
    """What the prompts in this file are for."""

    parts: dict[str, str]
    """Named Jinja templates."""

    samples: dict[str, Any] = {}
    """A sample value for every variable the parts use: the test renders each part with these."""


@cache
def load(name: str, directory: Path = PROMPTS_DIR) -> PromptFile:
    """Load and check `prompts/<name>.yaml`."""
    import yaml

    path = directory / f"{name}.yaml"
    return PromptFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def _environment():
    from jinja2 import Environment, StrictUndefined

    # Plain text out (replies and prompts, not HTML), so no autoescaping; StrictUndefined
    # turns a missing variable into an error at render time.
    return Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=False, autoescape=False)


def render(name: str, part: str, /, **variables: Any) -> str:
    """Render one part of a prompt file; raises on an unknown part or a missing variable."""
    prompt = load(name)
    if part not in prompt.parts:
        raise KeyError(f"prompts/{name}.yaml has no part {part!r}")
    return _environment().from_string(prompt.parts[part]).render(**variables).strip()


def names(directory: Path = PROMPTS_DIR) -> list[str]:
    """Every prompt file's name."""
    return sorted(p.stem for p in directory.glob("*.yaml"))
