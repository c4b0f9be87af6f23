"""`align vision`: draft a vision statement from values, or critique an existing one.

The record shown (and saved with --save) carries full citations: the engine cites cards by
id, and `agent.cli.with_citations` fills in their title, source, section and quote from
the cards, without opening the index or loading the embedding model.
"""

from __future__ import annotations

import click

from agent.cli import emit_json, get_settings, guidance_lines, save_if_asked, with_citations
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
    if aspiration is not None:
        from agent.inputs import clean_text

        # Given but empty is a mistake to report, not an aspiration to leave out quietly.
        clean_text(aspiration, "aspiration", max_chars=300)
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
    if record.citations:
        lines.append("")
        lines.extend(guidance_lines(record.citations))
    return "\n".join(lines)


@click.command()
@click.option("--value", "values", multiple=True, metavar="V", help="A value you hold (repeat for each).")
@click.option("--aspiration", default=None, metavar="TEXT",
              help="What you hope to achieve or become, in your words ('in ten years I'd like to run a studio').")
@click.option("--horizon-years", type=click.IntRange(1, 30), default=None, metavar="N",
              help="How many years ahead the vision looks (default: what the aspiration says, else five to ten).")
@click.option("--critique", "statement", default=None, metavar="TEXT",
              help="Critique this vision statement instead of drafting one.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@click.option("--save", is_flag=True, help="Save the record (see `align records list`).")
@click.pass_context
def vision(ctx: click.Context, values: tuple[str, ...], aspiration: str | None,
           horizon_years: int | None, statement: str | None, as_json: bool, save: bool) -> None:
    """Draft a vision statement from your values, or critique one with --critique."""
    settings = get_settings(ctx)
    record = with_citations(build(values, aspiration, horizon_years, statement))
    save_if_asked(settings, record, save)
    if as_json:
        emit_json(record)
    else:
        click.echo(render(record))
