"""`align prioritize`: tasks sorted into the Eisenhower matrix.

    align prioritize --task TEXT [--task TEXT]... [--today YYYY-MM-DD] [--value V]... [--vision TEXT] [--json]

`--json` prints the Priorities record on one line; otherwise the tasks are listed by
quadrant, each with its reason, and tasks the rules could not place come last for the
person to decide. Citations are filled in from the knowledge cards, as `align critique`
does, without opening the guidance index.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import click

from agent.cli import emit_json, get_settings, guidance_lines, with_citations
from agent.errors import UserError
from agent.inputs import clean_text, parse_date

MAX_TASKS = 200
HEADINGS = {
    "do": "Do now (important and urgent)",
    "schedule": "Schedule (important, not urgent)",
    "delegate": "Delegate (urgent, not important)",
    "drop": "Drop (neither)",
    "undecided": "You decide (the rules cannot place these)",
}


@click.command(name="prioritize")
@click.option("--task", "tasks", multiple=True, metavar="TEXT", help="A task (repeat for more).")
@click.option(
    "--today",
    default=None,
    metavar="YYYY-MM-DD",
    help="Read deadlines relative to this day (default: today).",
)
@click.option(
    "--value", "values", multiple=True, metavar="V", help="One of your values (repeat for more)."
)
@click.option("--vision", default=None, help="Your vision statement.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the Priorities record as one line of JSON."
)
@click.pass_context
def prioritize(
    ctx: click.Context,
    tasks: Sequence[str],
    today: str | None,
    values: Sequence[str],
    vision: str | None,
    as_json: bool,
) -> None:
    """Sort tasks into the Eisenhower matrix: do, schedule, delegate, drop."""
    from agent.priorities import prioritize as triage_tasks

    settings = get_settings(ctx)
    limit = settings.max_input_chars
    if not tasks:
        raise UserError('give at least one task, e.g. align prioritize --task "fix the outage"')
    if len(tasks) > MAX_TASKS:
        raise UserError(f"too many tasks ({len(tasks)}; the limit is {MAX_TASKS})")
    day = parse_date(today, "--today") or date.today()
    cleaned = [clean_text(t, f"task {i}", limit) for i, t in enumerate(tasks, 1)]
    record = triage_tasks(
        cleaned,
        today=day,
        values=[clean_text(v, "value", limit) for v in values],
        vision=clean_text(vision, "vision", limit) if vision is not None else None,
    )
    record = with_citations(record)
    if as_json:
        emit_json(record)
        return
    click.echo(matrix(record))


def matrix(record) -> str:
    """A Priorities record as text: tasks grouped by quadrant, each with its reason, then
    the guidance it rests on."""
    lines: list[str] = []
    for quadrant, heading in HEADINGS.items():
        placed = [t for t in record.tasks if t.quadrant == quadrant]
        if not placed:
            continue
        lines.append(heading)
        for task in placed:
            lines.append(f"  - {task.task}")
            lines.append(f"      {task.reason}")
        lines.append("")
    guidance = guidance_lines(record.citations)
    if guidance:
        lines.extend([*guidance, ""])
    return "\n".join(lines)
