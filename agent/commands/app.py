"""`align app`: start the Streamlit app on this machine only.

Streamlit runs as a child process with the flags that keep it off the network (it binds
to 127.0.0.1, looks up no external address and sends no usage statistics). The global
options (`--home`, `--provider`, `--model`, `--base-url`) reach the app as ALIGN_*
environment variables, so the app resolves the same Settings as this command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from agent.cli import get_settings

APP_PATH = Path(__file__).resolve().parents[2] / "app.py"

OFFLINE_FLAGS: tuple[str, ...] = (
    "--server.headless", "true",
    "--browser.gatherUsageStats", "false",
    "--browser.serverAddress", "localhost",
    "--server.address", "127.0.0.1",
    # "none": the browser never sees a traceback, even for a bug we did not catch.
    "--client.showErrorDetails", "none",
)
"""Flags that keep Streamlit on loopback and quiet (see STACK.md)."""

ENV_NAMES: dict[str, str] = {
    "home": "ALIGN_HOME",
    "provider": "ALIGN_PROVIDER",
    "model": "ALIGN_MODEL",
    "base_url": "ALIGN_BASE_URL",
}
"""Global option -> the environment variable the app's Settings read it from."""


def streamlit_command(app_path: Path = APP_PATH, port: int | None = None,
                      python: str = sys.executable) -> list[str]:
    """The command line that runs the app with Streamlit on loopback."""
    command = [python, "-m", "streamlit", "run", str(app_path), *OFFLINE_FLAGS]
    if port is not None:
        command += ["--server.port", str(port)]
    return command


def app_environment(explicit: Mapping[str, object], base: Mapping[str, str]) -> dict[str, str]:
    """The child's environment: `base` plus the explicit global options as ALIGN_* variables."""
    env = dict(base)
    for name, value in explicit.items():
        if name in ENV_NAMES and value is not None:
            # A relative --home must mean the same directory to the child as to us.
            env[ENV_NAMES[name]] = str(Path(str(value)).resolve()) if name == "home" else str(value)
    env.setdefault("ORT_DISABLE_TELEMETRY", "1")
    return env


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port on 127.0.0.1 to serve the app on (default: Streamlit's, 8501).")
@click.pass_context
def app(ctx: click.Context, port: int | None) -> int:
    """Start the Streamlit app in your browser (served on 127.0.0.1 only)."""
    settings = get_settings(ctx)  # bad global options fail here, with one line
    if not APP_PATH.is_file():
        raise click.ClickException(f"the app is not installed beside the package: {APP_PATH}")
    explicit = dict(ctx.find_root().obj or {})
    click.echo(f"Align app: {settings.endpoint_label}; data in {settings.home}", err=True)
    try:
        return subprocess.call(streamlit_command(APP_PATH, port),
                               env=app_environment(explicit, os.environ))
    except KeyboardInterrupt:
        return 0
