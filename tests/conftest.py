"""Fixtures for every test: a private data directory, and no way to reach a real model.

Any connection to an address off this machine fails the test that makes it, so a real
LLM call (or any other network call) can never pass silently. Tests that exercise the
LLM path start their own OpenAI-compatible server on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from datetime import date

import pytest

TODAY = date(2026, 11, 22)

_ENV_TO_CLEAR = (
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "ALIGN_PROVIDER", "ALIGN_MODEL", "ALIGN_BASE_URL",
    "ALIGN_API_KEY", "ALIGN_HOME", "ALIGN_DEBUG", "LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2",
)


class NetworkBlocked(RuntimeError):
    """A test tried to reach a host off this machine."""


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name other than localhost would need DNS: off-machine


@pytest.fixture(autouse=True)
def no_remote_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to a non-loopback address (a real LLM, telemetry, downloads)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def check(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not _is_local(host):
                raise NetworkBlocked(f"test tried to connect to {address!r}: only loopback is allowed")

    def guarded_connect(sock: socket.socket, address: object) -> None:
        check(sock, address)
        return real_connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: object) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)


@pytest.fixture(autouse=True)
def align_home(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A fresh data directory per test, and no LLM configuration leaking in from the shell."""
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "align-home"
    monkeypatch.setenv("ALIGN_HOME", str(home))
    return home


@pytest.fixture
def today() -> date:
    """The fixed 'today' the tests reason from."""
    return TODAY
