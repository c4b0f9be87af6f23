"""`align chat`: talk with the coach in the terminal, or script it with --json.

Interactive: a `you> ` prompt, the coach's reply, and a line for each record it made;
`/quit` or end of input stops, in both modes (a script can end a session early the same
way a person does). With --json: one message per line on standard input, one JSON object
per reply on standard output:
`{"reply": str, "records": [record...], "provider": str, "notice": str|null, "usage": {...}}`.
One session lasts for the whole run, so answers land in the thread they belong to.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click

from agent.cli import emit_json, get_settings
from agent.inputs import parse_date

QUIT = {"/quit", "/exit", "/q"}


def turn_json(turn: Any) -> dict[str, Any]:
    """The JSON contract of one reply."""
    return {
        "reply": turn.reply,
        "records": [r.model_dump(mode="json") for r in turn.records],
        "provider": turn.provider,
        "notice": turn.notice,
        "usage": {"calls": turn.calls, "input_tokens": turn.input_tokens,
                  "output_tokens": turn.output_tokens},
    }


def describe(record: Any) -> str:
    """One short line naming a record the turn made."""
    kind = record.kind
    if kind == "goal":
        return f"goal {record.id}: \"{record.text}\" (version {len(record.versions)})"
    if kind == "smart_critique":
        return f"critique {record.id}: {record.score}/100{' SMART' if record.smart else ''}"
    if kind == "decision":
        top = f", favours {record.recommendation}" if record.recommendation else ""
        return f"decision {record.id}: {len(record.options)} options{top}"
    if kind == "vision_draft":
        return f"vision draft {record.id}{' (chosen)' if record.chosen else ''}"
    if kind == "profile":
        return f"profile: {len(record.values)} values{', vision set' if record.vision else ''}"
    if kind == "answer":
        if not record.found:
            return f"answer {record.id}: the library has little on this"
        sources = len(record.passages)
        return f"answer {record.id} from {sources} passage{'s' if sources != 1 else ''}"
    if kind == "checkin":
        progress = f" {record.progress}%" if record.progress is not None else ""
        return f"check-in {record.id} on {record.on}{progress}"
    return f"{kind.replace('_', ' ')} {record.id}"


def _lines(stream: Any) -> Iterator[str | bytes]:
    """Lines of standard input as text; a line that is not UTF-8 stays bytes (the coach refuses it)."""
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text-only stream (e.g. io.StringIO in tests)
        yield from (line.rstrip("\r\n") for line in stream)
        return
    for raw in binary:
        raw = raw.rstrip(b"\r\n")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw


@click.command()
@click.option("--json", "as_json", is_flag=True,
              help="Read one message per line from standard input; print one JSON object per reply.")
@click.option("--today", default=None, metavar="YYYY-MM-DD",
              help="The date to reason from (default: today).")
@click.pass_context
def chat(ctx: click.Context, as_json: bool, today: str | None) -> None:
    """Talk with the coach in the terminal."""
    from agent.coach import Coach
    from agent.session import Session

    settings = get_settings(ctx)
    day = parse_date(today, "--today")
    coach = Coach(settings)
    session = Session()

    if as_json:
        for line in _lines(sys.stdin):
            if isinstance(line, str) and not line.strip():
                continue  # a blank line is not a message
            if isinstance(line, str) and line.strip() in QUIT:
                break
            emit_json(turn_json(coach.reply(session, line, today=day)))
        return

    click.echo(f"Align coach ({settings.endpoint_label}). Type /quit to end.")
    while True:
        try:
            line = input("you> ")
        except EOFError:
            click.echo()
            break
        if line.strip() in QUIT:
            break
        if not line.strip():
            continue
        turn = coach.reply(session, line, today=day)
        if turn.notice:
            click.echo(f"[{turn.notice}]")
        click.echo(f"align> {turn.reply}")
        for record in turn.records:
            click.echo(f"  saved {describe(record)}" if record.kind != "answer"
                       else f"  {describe(record)}")
    usage = session.usage
    if usage.calls:
        click.echo(f"{usage.calls} model calls, {usage.input_tokens} tokens in, "
                   f"{usage.output_tokens} out.")
