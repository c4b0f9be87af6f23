"""`align vision`: draft a vision statement from values, or critique an existing one."""

from __future__ import annotations

import click

from agent.cli import emit_json
from agent.errors import UserError
from agent.records import VisionCritique, VisionDraft


def build(values: tuple[str, ...], aspiration: str | None, horizon_years: int | None,
          statement: str | None) -> VisionDraft | VisionCritique:
    """The record the options ask for: a critique with --critique, else a draft."""
    from agent.vision import critique_vision, draft_vision

    if statement is not None:
        if aspiration is not None or horizon_years is not None:
            raise UserError("--aspiration and --horizon-years are for drafting; leave them out with --critique")
        return critique_vision(statement, values)
    if not any(v.strip() for v in values):
        raise UserError("name at least one value, e.g. align vision --value family --value integrity")
    return draft_vision(values, aspiration, horizon_years)


def render(record: VisionDraft | VisionCritique) -> str:
    """The record as a person reads it."""
    lines: list[str] = []
    if isinstance(record, VisionCritique):
        lines.append(f"Your statement: {record.statement}")
        lines.append("")
        for check in record.checks:
            mark = "ok " if check.passed else "fix"
            lines.append(f"  [{mark}] {check.name.replace('_', ' ')}: {check.feedback}")
    else:
        ahead = f"{record.horizon_years} years" if record.horizon_years else "5-10 years"
        lines.append(f"Vision ({ahead} ahead):")
        lines.append(f"  {record.statement}")
        if record.alternatives:
            lines.append("")
            lines.append("Alternatives:")
            lines.extend(f"  {i}. {text}" for i, text in enumerate(record.alternatives, 1))
        lines.append("")
        covered = ", ".join(f"{v} ({'yes' if ok else 'missing'})" for v, ok in record.values_covered.items())
        lines.append(f"Values covered: {covered}")
    lines.append("Guidance: " + ", ".join(c.card_id for c in record.citations))
    return "\n".join(lines)


@click.command()
@click.option("--value", "values", multiple=True, metavar="V", help="A value you hold (repeat for each).")
@click.option("--aspiration", default=None, metavar="TEXT", help="What you hope to achieve or become.")
@click.option("--horizon-years", type=click.IntRange(1, 30), default=None, metavar="N",
              help="How many years ahead the vision looks (default: five to ten).")
@click.option("--critique", "statement", default=None, metavar="TEXT",
              help="Critique this vision statement instead of drafting one.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def vision(values: tuple[str, ...], aspiration: str | None, horizon_years: int | None,
           statement: str | None, as_json: bool) -> None:
    """Draft a vision statement from your values, or critique one with --critique."""
    record = build(values, aspiration, horizon_years, statement)
    if as_json:
        emit_json(record)
    else:
        click.echo(render(record))
