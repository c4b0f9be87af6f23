"""Every prompt file parses and every part renders with its samples; rendering is strict."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from agent import prompts


def test_there_are_prompt_files():
    assert prompts.names(), "prompts/ holds no .yaml files"


@pytest.mark.parametrize("name", prompts.names())
def test_every_part_renders_with_its_samples(name):
    prompt = prompts.load(name)
    for part in prompt.parts:
        text = prompts.render(name, part, **prompt.samples)
        assert text.strip(), f"{name}.{part} rendered empty"
        assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("name", prompts.names())
def test_a_missing_variable_is_an_error(name):
    prompt = prompts.load(name)
    for part, template in prompt.parts.items():
        if "{{" in template:
            with pytest.raises(UndefinedError):
                prompts.render(name, part)
            return
    pytest.fail(f"{name}.yaml has no part with a variable to check")


def test_unknown_keys_are_rejected(tmp_path):
    (tmp_path / "bad.yaml").write_text("description: x\nparts: {a: hi}\nsampels: {}\n")
    with pytest.raises(ValueError, match="sampels"):
        prompts.load("bad", tmp_path)
