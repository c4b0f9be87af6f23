"""The `align` command: global options, error handling, and the subcommands.

Each subcommand lives in `agent/commands/<name>.py` and is imported only when it runs
(or when `--help` lists it), so `align --help` never loads Chroma, LangChain or
Streamlit. A person's mistake exits 2 with one line on standard error; any other
failure exits 1 with one line (set ALIGN_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Sequence

import click

from agent.errors import UserError
from agent.inputs import message_line

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module:attribute, one-line help shown by `align --help` without importing it)
    "critique": ("agent.commands.critique:critique", "Critique a goal for SMARTness, letter by letter."),
    "vision": ("agent.commands.vision:vision", "Draft a vision statement from your values, or critique one."),
    "decide": ("agent.commands.decide:decide", "Weigh a decision against your values with a decision matrix."),
    "prioritize": ("agent.commands.prioritize:prioritize", "Sort tasks into the Eisenhower matrix."),
    "ask": ("agent.commands.ask:ask", "Ask the guidance library; answers cite their passages."),
    "index": ("agent.commands.ask:index", "Add your own documents to the library, or rebuild it."),
    "chat": ("agent.commands.chat:chat", "Talk with the coach in the terminal."),
    "records": ("agent.commands.records:records", "List, show, export and delete what Align saved."),
    "profile": ("agent.commands.records:profile", "See and edit what Align remembers about you."),
    "app": ("agent.commands.app:app", "Start the Streamlit app in your browser."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        target, _ = COMMANDS[cmd_name]
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help from the table above: listing commands must not import them.
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--provider", type=click.Choice(["offline", "openai"]), default=None,
              help="Who writes the conversation (default: openai when a key is set, else offline).")
@click.option("--model", default=None, help="Model name for the OpenAI-compatible endpoint.")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1.")
@click.option("--home", default=None, type=click.Path(file_okay=False),
              help="Data directory (default: $ALIGN_HOME or the platform's user data dir).")
@click.version_option(package_name="align-coach", prog_name="align")
@click.pass_context
def cli(ctx: click.Context, provider: str | None, model: str | None, base_url: str | None,
        home: str | None) -> None:
    """Align: a coaching agent for leaders. Offline unless you configure an LLM endpoint."""
    explicit = {"provider": provider, "model": model, "base_url": base_url, "home": home}
    ctx.obj = {name: value for name, value in explicit.items() if value is not None}


def get_settings(ctx: click.Context):
    """The Settings for this invocation: global options over environment over defaults."""
    from pydantic import ValidationError

    from agent.settings import Settings

    root = ctx.find_root()
    if "_settings" not in root.meta:
        try:
            root.meta["_settings"] = Settings(**(root.obj or {}))
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "settings"
            raise UserError(f"bad setting {where}: {first['msg']}") from None
    return root.meta["_settings"]


def emit_json(data: object) -> None:
    """Print one JSON document on one line: a record, or plain data."""
    import json

    if hasattr(data, "model_dump_json"):
        click.echo(data.model_dump_json())
    else:
        click.echo(json.dumps(data, ensure_ascii=False))


def with_citations(record):
    """The record with its citations resolved from the shipped cards.

    Engines cite by card id; people and scripts see the card's title, source, section and
    a quote. Read straight from the card files: no index is opened and no model loaded.
    If the cards cannot be read (a broken install) the bare ids stay: they are still true.
    """
    from agent.cards import default_cards, resolve_citations

    if not getattr(record, "citations", None):
        return record
    try:
        cards = default_cards()
    except UserError:
        return record
    return record.model_copy(update={"citations": resolve_citations(record.citations, cards)})


def guidance_lines(citations) -> list[str]:
    """'Guidance: <section> — <source>' per cited card, without repeats (several cards
    can share a section); the title or the bare card id when that is all there is."""
    lines: list[str] = []
    for c in citations:
        name = c.section or c.title or c.card_id
        line = f"Guidance: {name} — {c.source}" if c.source else f"Guidance: {name}"
        if line not in lines:
            lines.append(line)
    return lines


def save_if_asked(settings, record, save: bool) -> None:
    """With --save, store the record and say so on standard error (stdout stays the record)."""
    if save:
        from agent.store import save_and_report

        click.echo(save_and_report(settings, record), err=True)


def _fail(status: int, message: str) -> int:
    # A path or value that carries escape codes is still named in the message, without them.
    click.echo(f"align: {message_line(message)}", err=True)
    return status


class _StderrLines(logging.Handler):
    """Align's warnings (an index repaired, a damaged record skipped) as `align: ...` lines.

    It looks up standard error when it writes, so a redirected or captured stream is honoured.
    """

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"align: {message_line(record.getMessage())}", err=True)


def _show_warnings() -> None:
    logger = logging.getLogger("agent")
    if not any(isinstance(h, _StderrLines) for h in logger.handlers):
        logger.addHandler(_StderrLines(logging.WARNING))


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit status instead of exiting."""
    _show_warnings()
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="align",
                          standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as e:
        click.echo(e.ctx.get_help() if e.ctx else e.format_message())
        return 0
    except (UserError, click.UsageError) as e:
        message = e.format_message() if isinstance(e, click.ClickException) else str(e)
        return _fail(2, message)
    except click.ClickException as e:
        return _fail(e.exit_code or 1, e.format_message())
    except (click.Abort, KeyboardInterrupt):
        return _fail(130, "interrupted")
    except BrokenPipeError:
        return 0
    except Exception as e:
        if os.environ.get("ALIGN_DEBUG"):
            raise
        return _fail(1, f"unexpected error ({type(e).__name__}): {e}. Set ALIGN_DEBUG=1 for details.")
    return result if isinstance(result, int) else 0


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point of `align`."""
    sys.exit(run(argv))


if __name__ == "__main__":
    main()
