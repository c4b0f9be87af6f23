"""`align ask` and `align index`: the guidance library from the command line.

`ask` answers from the cards (and the documents you indexed) with cited passages; `index`
adds your own Markdown, text and PDF files, or rebuilds the index. Indexing progress goes
to standard error, so `--json` output on standard output stays clean.
"""

from __future__ import annotations

import sys

import click

from agent.cli import emit_json, get_settings
from agent.errors import UserError


def _library(ctx: click.Context):
    from agent.guidance import Library

    return Library(get_settings(ctx))


def progress_printer():
    """A progress(done, total, label) callback that shows one line on standard error.

    On a terminal the line is redrawn in place; otherwise (a log, a pipe) one line is
    written when each stage completes, so logs are not flooded.
    """
    try:
        live = sys.stderr.isatty()
    except (AttributeError, ValueError):
        live = False

    def progress(done: int, total: int, label: str) -> None:
        if label != "cards" and not live:
            return  # documents: the report that follows says what was indexed
        if live:
            end = "\n" if done >= total else ""
            click.echo(f"\r\x1b[Kindexing {label}: {done}/{total}{end}", err=True, nl=False)
        elif done >= total:
            click.echo(f"align: indexed {label}: {done}/{total}", err=True)

    return progress


def _questions_from_file(path: str, max_chars: int) -> list[str]:
    from agent.inputs import clean_text, read_text_file

    questions = []
    for number, line in enumerate(read_text_file(path, "question file").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append(clean_text(line, "question", max_chars))
        except UserError as e:
            raise UserError(f"{path}, line {number}: {e}") from None
    if not questions:
        raise UserError(f"question file {path} has no questions (one per line)")
    return questions


def _print_answer(answer) -> None:
    click.echo(answer.answer)
    if not answer.passages:
        return
    click.echo("")
    click.echo("Passages:")
    for number, passage in enumerate(answer.passages, start=1):
        where = passage.section if passage.section != passage.source else ""
        click.echo(f"[{number}] {passage.title}  (score {passage.score:.2f})")
        click.echo(f"    {passage.source}" + (f" / {where}" if where else ""))
        words = " ".join(passage.text.split()).split(" ")
        excerpt = " ".join(words[:45]) + (" ..." if len(words) > 45 else "")
        click.echo(f"    {excerpt}")


@click.command("ask")
@click.argument("question", required=False)
@click.option("-k", "k", type=click.IntRange(1, 20), default=3, show_default=True,
              help="How many passages to draw on.")
@click.option("--file", "question_file", type=click.Path(dir_okay=False),
              help="Ask every question in FILE, one per line.")
@click.option("--cards-only", is_flag=True, help="Search the guidance cards only, not your documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer record as JSON (one per line).")
@click.pass_context
def ask(ctx: click.Context, question: str | None, k: int, question_file: str | None,
        cards_only: bool, as_json: bool) -> None:
    """Ask the guidance library a QUESTION; the answer cites the passages it comes from."""
    from agent.inputs import clean_text

    settings = get_settings(ctx)
    if question is not None and question_file:
        raise click.UsageError("give a QUESTION or --file, not both")
    if question is None and not question_file:
        raise click.UsageError("give a QUESTION, or --file with one question per line")
    if question_file:
        questions = _questions_from_file(question_file, settings.max_input_chars)
    else:
        questions = [clean_text(question, "question", settings.max_input_chars)]

    library = _library(ctx)
    library.ensure_index(progress_printer())
    for index, text in enumerate(questions):
        answer = library.ask(text, k, include_documents=not cards_only)
        if as_json:
            emit_json(answer)
            sys.stdout.flush()
        else:
            if index:
                click.echo("\n" + "-" * 60)
            if len(questions) > 1:
                click.echo(f"Q: {answer.question}\n")
            _print_answer(answer)


@click.command("index")
@click.argument("paths", nargs=-1)
@click.option("--rebuild", is_flag=True,
              help="Rebuild everything: the cards, and the documents that still exist.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as one JSON object.")
@click.pass_context
def index(ctx: click.Context, paths: tuple[str, ...], rebuild: bool, as_json: bool) -> None:
    """Add your own Markdown, text and PDF files (or folders of them) to the library.

    Unchanged files are skipped; changed ones replace their old passages. Files that
    cannot be read are skipped with a one-line message. With no PATH, builds the card
    index if needed and shows what the library holds.
    """
    from agent.guidance import IndexReport

    library = _library(ctx)
    progress = progress_printer()
    report = library.rebuild(progress) if rebuild else IndexReport()
    if paths:
        # Documents first: a run where none can be read ends in its one-line reason
        # before the card index is built.
        more = library.index_paths(list(paths), progress=progress)
        report = report.model_copy(
            update={
                "added": report.added + more.added,
                "updated": report.updated + more.updated,
                "unchanged": report.unchanged + more.unchanged,
                "skipped": report.skipped + more.skipped,
                "chunks": report.chunks + more.chunks,
            }
        )
    if not rebuild and (report.indexed or not paths):
        report = report.model_copy(update={"cards_built": library.ensure_index(progress)})
    failed = bool(paths) and not report.indexed
    if as_json:
        emit_json(report.model_dump(mode="json"))
    elif not failed:
        _print_report(report, library)
    if failed:
        # One line: the reason when there is one, else the first and how many more.
        reasons = [s.reason for s in report.skipped] or ["no readable documents there"]
        more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
        raise UserError(f"nothing could be indexed: {reasons[0]}{more}")
    for skipped in report.skipped:
        click.echo(f"align: skipped {skipped.reason}", err=True)


def _print_report(report, library) -> None:
    counts = [
        f"{len(report.added)} added",
        f"{len(report.updated)} updated",
        f"{len(report.unchanged)} unchanged",
    ]
    if report.skipped:
        counts.append(f"{len(report.skipped)} skipped")
    if report.removed:
        counts.append(f"{len(report.removed)} removed")
    if report.added or report.updated or report.unchanged or report.skipped or report.removed:
        click.echo(f"Documents: {', '.join(counts)} ({report.chunks} new passages).")
    held = library.documents()
    cards = len(library.cards())
    state = "rebuilt" if report.cards_built else "up to date"
    click.echo(f"Library: {cards} guidance cards ({state}), {len(held)} documents of yours.")
