"""Settings precedence (explicit > environment > default) and where keys may go."""

from __future__ import annotations

from pathlib import Path

from agent.settings import PLACEHOLDER_KEY, Settings


def test_defaults_are_offline(align_home):
    s = Settings()
    assert s.active_provider == "offline"
    assert s.model == "gpt-4o-mini"
    assert s.home == Path(align_home)
    assert "offline" in s.endpoint_label


def test_environment_beats_default(monkeypatch):
    monkeypatch.setenv("ALIGN_MODEL", "llama3.2")
    monkeypatch.setenv("ALIGN_PROVIDER", "openai")
    s = Settings()
    assert (s.model, s.active_provider) == ("llama3.2", "openai")


def test_explicit_beats_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGN_MODEL", "from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.example/v1")
    s = Settings(model="explicit", base_url="http://127.0.0.1:9/v1", home=tmp_path)
    assert s.model == "explicit"
    assert s.base_url == "http://127.0.0.1:9/v1"
    assert s.home == tmp_path


def test_a_key_turns_the_llm_on_unless_offline_is_chosen(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert Settings().active_provider == "openai"
    assert Settings(provider="offline").active_provider == "offline"


def test_openai_key_goes_to_openai_and_to_the_base_url_it_was_paired_with(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real")
    assert Settings().credential() == "sk-real"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    assert Settings().credential() == "sk-real"


def test_a_custom_base_url_never_gets_a_key_it_was_not_given_for(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real")
    s = Settings(base_url="http://192.0.2.10:8000/v1")
    assert s.credential() == PLACEHOLDER_KEY
    monkeypatch.setenv("ALIGN_API_KEY", "local-key")
    assert Settings(base_url="http://192.0.2.10:8000/v1").credential() == "local-key"


def test_endpoint_label_names_the_endpoint():
    s = Settings(provider="openai", base_url="http://127.0.0.1:8080/v1", model="qwen")
    assert s.endpoint_label == "qwen at http://127.0.0.1:8080/v1"
