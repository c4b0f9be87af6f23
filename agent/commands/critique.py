"""`align critique`: a goal graded letter by letter against SMART.

    align critique "run a half marathon" [--vision TEXT] [--value V]... [--today YYYY-MM-DD] [--json] [--save]
    align critique --file GOALS.txt --json [--save]

With `--file`, each non-blank line is one goal: plain text, or a JSON object with `goal`
and optional `vision`, `values` and `today` (which override the command-line options for
that line). One JSON object is printed per goal, in order; a line that cannot be
critiqued prints `{"line": N, "error": "..."}` in its place, the rest still run, and the
exit status is 2 at the end with a one-line summary on standard error. `--file -` reads
standard input.

Every critique goes through `_output`, the one place where it is shown and, with `--save`,
saved (`agent.store.save_and_report`: the critique, and a goal whose first version it is);
the one-line "saved ..." message goes to standard error, so `--json` output stays one JSON
object per goal.

Citations are resolved from the knowledge cards themselves (`agent.cli.with_citations`), not
through the guidance index: a one-shot critique needs no Chroma and no embedding model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date

import click

from agent.cli import emit_json, get_settings, guidance_lines, with_citations
from agent.errors import UserError
from agent.inputs import clean_text, parse_date, read_text_file, refuse_instructions

MARKS = {"met": "[met]    ", "partial": "[partial]", "missing": "[missing]", "unknown": "[unknown]"}
TITLES = {
    "specific": "Specific",
    "measurable": "Measurable",
    "achievable": "Achievable",
    "relevant": "Relevant",
    "time_bound": "Time-bound",
}
LINE_KEYS = {"goal", "vision", "values", "today"}


@click.command(name="critique")
@click.argument("goal", required=False)
@click.option(
    "--file",
    "file_path",
    metavar="FILE",
    help="Critique one goal per line (plain text or JSON); '-' reads standard input.",
)
@click.option("--vision", default=None, help="Your vision statement, to judge relevance against.")
@click.option(
    "--value", "values", multiple=True, metavar="V", help="One of your values (repeat for more)."
)
@click.option(
    "--today",
    default=None,
    metavar="YYYY-MM-DD",
    help="Read dates relative to this day (default: today).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the SmartCritique record as one line of JSON."
)
@click.option(
    "--save", is_flag=True, help="Save the critique and start a goal from it (see `align records`)."
)
@click.pass_context
def critique(
    ctx: click.Context,
    goal: str | None,
    file_path: str | None,
    vision: str | None,
    values: Sequence[str],
    today: str | None,
    as_json: bool,
    save: bool,
) -> None:
    """Critique a goal for SMARTness, letter by letter, with a sharper rewrite."""
    settings = get_settings(ctx)
    limit = settings.max_input_chars
    day = parse_date(today, "--today") or date.today()
    vision = clean_text(vision, "vision", limit) if vision is not None else None
    values = [clean_text(v, "value", limit) for v in values]
    for text, what in [(vision, "vision"), *((v, "value") for v in values)]:
        if text:
            refuse_instructions(text, what)  # once here, not once per line of a --file
    if goal is not None and file_path is not None:
        raise UserError("give either a goal or --file, not both")
    if file_path is None:
        if goal is None:
            raise UserError(
                'give a goal to critique, e.g. align critique "run a half marathon by June"'
            )
        checked = _checked(clean_text(goal, "goal", limit), day, vision, values)
        _output(_critique(*checked), as_json, settings if save else None)
        return
    failed = 0
    for number, item in _lines(file_path, day, vision, values, limit):
        if isinstance(item, UserError):
            failed += 1
            if as_json:
                emit_json({"line": number, "error": str(item)})
            else:
                click.echo(f"line {number}: {item}\n")
            continue
        _output(_critique(*item), as_json, settings if save else None)
    if failed:
        click.echo(
            f"align: {failed} line(s) of {file_path} could not be critiqued; see their errors",
            err=True,
        )
        ctx.exit(2)


def _critique(goal: str, day: date, vision: str | None, values: Sequence[str]):
    from agent.smart import critique as critique_goal

    record = critique_goal(goal, today=day, vision=vision, values=values)
    return with_citations(record)


def _lines(
    path: str, day: date, vision: str | None, values: Sequence[str], limit: int
) -> Iterator[tuple[int, tuple | UserError]]:
    """(line number, (goal, today, vision, values) or the error) for each non-blank line."""
    text = read_text_file(path, "goal file")
    if not text.strip():
        raise UserError(f"goal file {path} has no goals (one per line)")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, _line(line, day, vision, values, limit)
        except UserError as e:
            yield number, e


def _line(line: str, day: date, vision: str | None, values: Sequence[str], limit: int) -> tuple:
    stripped = line.strip()
    if not stripped.startswith("{"):
        goal = clean_text(stripped, "goal", limit)
        return _checked(goal, day, vision, values)
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as e:
        raise UserError(f"not valid JSON: {e.msg} at column {e.colno}") from None
    if not isinstance(data, dict):
        raise UserError("a JSON line must be an object with a 'goal'")
    unknown = sorted(set(data) - LINE_KEYS)
    if unknown:
        raise UserError(f"unknown key(s) {', '.join(unknown)}; use goal, vision, values, today")
    if not isinstance(data.get("goal"), str):
        raise UserError("the JSON object needs a 'goal' string")
    goal = clean_text(data["goal"], "goal", limit)
    line_vision = data.get("vision", vision)
    if line_vision is not None and not isinstance(line_vision, str):
        raise UserError("'vision' must be a string or null")
    line_values = data.get("values", list(values))
    if not isinstance(line_values, list) or not all(isinstance(v, str) for v in line_values):
        raise UserError("'values' must be a list of strings")
    line_day = parse_date(data["today"], "today") if data.get("today") is not None else day
    if not isinstance(line_day, date):
        raise UserError("'today' must be a YYYY-MM-DD string")
    line_vision = (
        clean_text(line_vision, "vision", limit)
        if line_vision is not None and line_vision.strip()
        else None
    )
    line_values = [clean_text(v, "value", limit) for v in line_values if v.strip()]
    return _checked(goal, line_day, line_vision, line_values)


def _checked(goal: str, day: date, vision: str | None, values: Sequence[str]) -> tuple:
    # Refuse instruction-like text here, so a bad line reports its own error.
    refuse_instructions(goal, "goal")
    if vision:
        refuse_instructions(vision, "vision")
    for value in values:
        refuse_instructions(value, "value")
    return goal, day, vision, list(values)


def _output(record, as_json: bool, settings=None) -> None:
    """Print one critique (its JSON record, or a short card for people); with settings,
    save it and say so on standard error."""
    if settings is not None:
        from agent.store import save_and_report

        message = save_and_report(settings, record)
    if as_json:
        emit_json(record)
    else:
        click.echo(card(record))
    if settings is not None:
        click.echo(message, err=True)


def card(record) -> str:
    """A SmartCritique as a short readable card: letters with marks, questions, rewrite."""
    verdict = "SMART" if record.smart else "not SMART yet"
    lines = [f"Goal: {record.goal}", f"Score {record.score}/100, {verdict} ({record.category})", ""]
    questions: list[str] = []
    for name, title in TITLES.items():
        criterion = getattr(record.criteria, name)
        lines.append(f"  {MARKS[criterion.status]} {title:<11} {criterion.feedback}")
        if criterion.question:
            questions.append(criterion.question)
    if questions:
        lines += ["", "Questions:"] + [f"  - {q}" for q in questions]
    lines += ["", f"Rewrite: {record.rewrite}"]
    guidance = guidance_lines(record.citations)
    if guidance:
        lines += ["", *guidance]
    return "\n".join(lines) + "\n"
