"""Configuration: explicit arguments beat environment variables, which beat defaults.

Environment variables are `ALIGN_*` (for example `ALIGN_HOME`, `ALIGN_PROVIDER`,
`ALIGN_MODEL`), plus the standard `OPENAI_API_KEY` and `OPENAI_BASE_URL` so that an
existing OpenAI or OpenAI-compatible setup (Ollama, vLLM, llama.cpp, LM Studio) works
as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OPENAI_HOSTS = frozenset({"api.openai.com"})
PLACEHOLDER_KEY = "not-needed"
"""Sent to an endpoint that was given no key of its own: local servers need some value."""


def default_home() -> Path:
    """The platform's user data directory for Align (e.g. ~/.local/share/align)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("align", appauthor=False))


class Settings(BaseSettings):
    """Everything Align can be configured with, resolved once per process or request."""

    model_config = SettingsConfigDict(
        env_prefix="ALIGN_",
        populate_by_name=True,
        use_attribute_docstrings=True,
        extra="ignore",
    )

    home: Path = Field(default_factory=default_home)
    """Data directory: the SQLite database of records and the Chroma index live here."""

    provider: Literal["offline", "openai"] | None = None
    """Who writes the conversation. Unset: `openai` when an API key is configured, else `offline`."""

    model: str = "gpt-4o-mini"
    """Chat model name sent to the OpenAI-compatible endpoint."""

    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ALIGN_BASE_URL", "OPENAI_BASE_URL")
    )
    """OpenAI-compatible endpoint (e.g. http://localhost:11434/v1 for Ollama). Unset: OpenAI."""

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias="OPENAI_API_KEY"
    )
    """Key from the standard OPENAI_API_KEY variable."""

    api_key: SecretStr | None = None
    """Key meant for a custom endpoint (ALIGN_API_KEY); takes precedence over OPENAI_API_KEY."""

    timeout: float = Field(default=60.0, gt=0)
    """Seconds to wait for the model before falling back to the offline coach."""

    max_input_chars: int = Field(default=2000, gt=0)
    """Longest goal, question or message accepted, in characters."""

    @field_validator("base_url")
    @classmethod
    def _blank_base_url_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @property
    def active_provider(self) -> Literal["offline", "openai"]:
        """The provider in force: the explicit choice, else `openai` when a key is set."""
        if self.provider:
            return self.provider
        return "openai" if (self.api_key or self.openai_api_key) else "offline"

    @property
    def uses_openai_host(self) -> bool:
        """True when requests go to OpenAI itself (no base URL, or OpenAI's own host)."""
        return self.base_url is None or urlparse(self.base_url).hostname in OPENAI_HOSTS

    def credential(self) -> str:
        """The key to send to the configured endpoint, never one it was not given for.

        ALIGN_API_KEY is always meant for the configured endpoint. OPENAI_API_KEY goes to
        OpenAI, or to a custom endpoint only when that endpoint also came from
        OPENAI_BASE_URL (the standard pairing that OpenAI-compatible servers document).
        Anything else gets a placeholder, which local servers accept.
        """
        if self.api_key:
            return self.api_key.get_secret_value()
        if self.openai_api_key and (self.uses_openai_host or self._base_url_from_openai_env()):
            return self.openai_api_key.get_secret_value()
        return PLACEHOLDER_KEY

    def _base_url_from_openai_env(self) -> bool:
        import os

        env_url = (os.environ.get("OPENAI_BASE_URL") or "").strip()
        return bool(env_url) and env_url == self.base_url

    @property
    def endpoint_label(self) -> str:
        """Where data goes, in words a person can check: shown in the CLI and the app."""
        if self.active_provider == "offline":
            return "offline: nothing leaves this machine"
        host = "api.openai.com" if self.base_url is None else _without_secrets(self.base_url)
        return f"{self.model} at {host}"

    @property
    def database_path(self) -> Path:
        """The SQLite file that holds the user's records."""
        return self.home / "align.db"

    @property
    def index_path(self) -> Path:
        """The directory of the persistent Chroma index."""
        return self.home / "index"


def _without_secrets(url: str) -> str:
    """The URL without a user:password part or a query string (where keys sometimes ride)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "a custom endpoint"
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
