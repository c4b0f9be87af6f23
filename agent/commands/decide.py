"""`align decide`: weigh a decision with a decision matrix, from a file or from words."""

from __future__ import annotations

import math
import re

import click

from agent.cli import emit_json, get_settings, guidance_lines, save_if_asked, with_citations
from agent.errors import UserError
from agent.records import MAX_WEIGHT, Decision, DecisionCriterion


def parse_criterion(text: str) -> DecisionCriterion:
    """--criterion "NAME=WEIGHT" as a criterion; UserError naming the flag when malformed."""
    name, sep, weight = text.rpartition("=")
    if not sep or not name.strip():
        raise UserError(f"--criterion {text!r}: write it as NAME=WEIGHT, e.g. 'family time=5'")
    try:
        value = float(weight)
    except ValueError:
        raise UserError(f"--criterion {text!r}: the weight {weight.strip()!r} is not a number") from None
    if not math.isfinite(value) or not 0 < value <= MAX_WEIGHT:
        raise UserError(f"--criterion {text!r}: the weight must be more than 0 and at most {MAX_WEIGHT:,.0f}")
    return DecisionCriterion(name=" ".join(name.split()), weight=value)


def parse_score(text: str, decision: Decision) -> tuple[str, str, int]:
    """--score "OPTION:CRITERION=N" as (option, criterion, score), matched against the
    decision's names (either may contain a colon)."""
    pair, sep, number = text.rpartition("=")
    if not sep or ":" not in pair:
        raise UserError(f"--score {text!r}: write it as OPTION:CRITERION=N, e.g. 'Take the role:family time=2'")
    if not re.fullmatch(r"\s*-?\d+\s*", number):
        raise UserError(f"--score {text!r}: the score {number.strip()!r} is not a whole number 1-5")
    options = {" ".join(o.split()).casefold(): o for o in decision.options}
    criteria = {" ".join(c.name.split()).casefold(): c.name for c in decision.criteria}
    for i in [m.start() for m in re.finditer(":", pair)]:
        option, criterion = (" ".join(pair[:i].split()).casefold(), " ".join(pair[i + 1:].split()).casefold())
        if option in options and criterion in criteria:
            return options[option], criteria[criterion], int(number)
    option, _, criterion = pair.partition(":")
    if " ".join(option.split()).casefold() not in options:
        raise UserError(f"--score {text!r}: unknown option {option.strip()!r} (the options are "
                        f"{', '.join(decision.options)})")
    raise UserError(f"--score {text!r}: unknown criterion {criterion.strip()!r} (the criteria are "
                    f"{', '.join(c.name for c in decision.criteria)})")


def build(question: str | None, file: str | None, options: tuple[str, ...],
          criteria: tuple[str, ...], scores: tuple[str, ...], values: tuple[str, ...]) -> Decision:
    """The Decision the arguments describe: from --file, or framed from the question, with
    the --criterion and --score flags applied on top."""
    from agent import decision as engine
    from agent.inputs import read_json_file

    parsed = [parse_criterion(c) for c in criteria]
    if file is not None:
        if question is not None or options or values:
            raise UserError("--file holds the whole decision; leave out the question, --option and --value")
        try:
            decision = engine.decision_from_data(read_json_file(file, "decision file"))
        except UserError as e:
            raise UserError(f"{file}: {e}") from None
        for c in parsed:
            decision = engine.add_criterion(decision, c.name, c.weight)
    elif question is None or not question.strip():
        raise UserError('say what you are deciding, e.g. align decide "Should I take this role?", '
                        "or give --file DECISION.json")
    else:
        decision = engine.frame_decision(question, values=values, options=options, criteria=parsed)
    for text in scores:
        option, criterion, score = parse_score(text, decision)
        decision = engine.set_score(decision, option, criterion, score)
    return decision.model_copy(update={"questions": engine.ask_questions(decision)})


def _table(decision: Decision) -> list[str]:
    totals = {r.option: f"{r.total:.2f}" for r in decision.ranking}
    header = ["", *[f"{c.name} ({_number(c.weight)})" for c in decision.criteria], "total"]
    rows = [header]
    for o in decision.options:
        row = decision.scores.get(o, {})
        cells = [str(row.get(c.name)) if row.get(c.name) is not None else "?" for c in decision.criteria]
        rows.append([o, *cells, totals.get(o, "-")])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return ["  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def render(decision: Decision) -> str:
    """The decision as a person reads it: matrix, ranking, recommendation, sensitivity,
    conflicts, questions."""
    from agent.decision import describe_sensitivity, unscored

    lines = [decision.question, ""]
    missing = unscored(decision)
    if not decision.options:
        # Nothing to weigh yet: the questions below ask for the options.
        lines.append('No options named yet: add them with --option, e.g. --option "Stay in my '
                     'role" --option "Move to product".')
    elif missing:
        lines.extend([*_table(decision), ""])
        lines.append(f"{len(missing)} score{'s' if len(missing) != 1 else ''} still to give (1-5), "
                     "e.g. --score \"" + f"{missing[0][0]}:{missing[0][1]}=3\"; the ranking waits for them.")
    else:
        lines.extend([*_table(decision), ""])
        lines.append("Ranking: " + "  ".join(f"{i}. {r.option} ({r.total:.2f})"
                                             for i, r in enumerate(decision.ranking, 1)))
        if decision.recommendation:
            lines.append(f"Recommendation: {decision.recommendation}")
        elif len(decision.ranking) > 1:
            level = [r.option for r in decision.ranking if abs(r.total - decision.ranking[0].total) < 0.005]
            lines.append(f"Recommendation: none, it is a tie between {' and '.join(level)}.")
        if decision.sensitivity:
            lines.append("How fragile it is:")
            lines.extend(f"  {describe_sensitivity(s, decision)}" for s in decision.sensitivity)
    if decision.conflicts:
        lines.append("")
        lines.append("Value conflicts:")
        lines.extend(f"  {c.option}: strains {c.value}. {c.reason}" for c in decision.conflicts)
    if decision.questions:
        lines.append("")
        lines.append("Questions to help you score:")
        lines.extend(f"  {i}. {q}" for i, q in enumerate(decision.questions, 1))
    if decision.citations:

        lines.append("")
        lines.extend(guidance_lines(decision.citations))
    return "\n".join(lines)


@click.command()
@click.argument("question", required=False)
@click.option("--file", "file", default=None, metavar="DECISION.json",
              help="A decision with question, options, criteria and scores.")
@click.option("--option", "options", multiple=True, metavar="O", help="An option (repeat; replaces the proposed ones).")
@click.option("--criterion", "criteria", multiple=True, metavar="NAME=WEIGHT",
              help="A criterion and its weight (repeat; overrides a proposed weight or adds one).")
@click.option("--score", "scores", multiple=True, metavar="OPTION:CRITERION=N", help="A score 1-5 (repeat).")
@click.option("--value", "values", multiple=True, metavar="V", help="A value you hold (repeat).")
@click.option("--json", "as_json", is_flag=True, help="Print the Decision record as JSON.")
@click.option("--save", is_flag=True, help="Save the decision (see `align records list`).")
@click.pass_context
def decide(ctx: click.Context, question: str | None, file: str | None, options: tuple[str, ...],
           criteria: tuple[str, ...], scores: tuple[str, ...], values: tuple[str, ...], as_json: bool,
           save: bool) -> None:
    """Weigh a decision against your values with a decision matrix."""

    settings = get_settings(ctx)
    record = with_citations(build(question, file, options, criteria, scores, values))
    save_if_asked(settings, record, save)
    if as_json:
        emit_json(record)
    else:
        click.echo(render(record))
