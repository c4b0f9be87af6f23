"""`align records ...` and `align profile`: see, export and delete what Align saved.

Reading never creates the database; only a change does. Everything shown comes from
`agent.store` and is rendered by `agent.export`, so the app can show the same views.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import click

from agent.cli import emit_json, get_settings
from agent.errors import UserError
from agent.records import KINDS


def _store(ctx: click.Context):
    from agent.store import Store

    return Store.from_settings(get_settings(ctx))


def _stdin_is_interactive() -> bool:
    """True when a person can answer a prompt on standard input."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, OSError, ValueError):
        return False


@click.group(invoke_without_command=True)
@click.pass_context
def records(ctx: click.Context) -> None:
    """List, show, export and delete the records Align saved (all kept on this machine)."""
    if ctx.invoked_subcommand is None:
        # Plain help on standard output: the CLI would otherwise fold it into one error line.
        click.echo(ctx.get_help())


@records.command("list")
@click.option("--kind", type=click.Choice(KINDS, case_sensitive=False), default=None,
              help="Only records of this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of the records.")
@click.pass_context
def list_records(ctx: click.Context, kind: str | None, as_json: bool) -> None:
    """List saved records, newest first: id, kind, created, title."""
    from agent.export import record_title

    found = _store(ctx).list(kind.lower() if kind else None)
    if as_json:
        emit_json([r.model_dump(mode="json") for r in found])
        return
    if not found:
        what = f"{kind} records" if kind else "records"
        click.echo(f"No saved {what} yet.")
        return
    kind_width = max(len("kind"), *(len(r.kind) for r in found))
    click.echo(f"{'id':<12}  {'kind':<{kind_width}}  {'created (UTC)':<16}  title")
    for r in found:
        created = f"{r.created_at:%Y-%m-%d %H:%M}"
        click.echo(f"{r.id:<12}  {r.kind:<{kind_width}}  {created:<16}  {record_title(r, 60)}")


def _critiques_of(store, record) -> dict:
    """The critiques a goal's versions link to, for showing its SMART letters."""
    from agent.records import Goal, SmartCritique

    if not isinstance(record, Goal):
        return {}
    wanted = {v.critique_id for v in record.versions if v.critique_id}
    return {c.id: c for c in store.list("smart_critique")
            if c.id in wanted and isinstance(c, SmartCritique)}


@records.command("show")
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the record's JSON.")
@click.pass_context
def show(ctx: click.Context, record_id: str, as_json: bool) -> None:
    """Show one record (an id, or at least its first 4 characters)."""
    from agent.export import render_record, unescape_md

    store = _store(ctx)
    record = store.get(record_id)
    if as_json:
        emit_json(record)
        return
    view = render_record(record, _critiques_of(store, record), date.today())
    click.echo(unescape_md(view), nl=False)  # for a terminal: no Markdown backslashes


def _write_atomically(path: Path, text: str) -> None:
    """Write the file whole or not at all: a failed export never truncates an old one."""
    if path.is_dir():
        raise UserError(f"cannot write the export to {path}: it is a directory")
    if not path.parent.is_dir():
        raise UserError(f"cannot write the export to {path}: the folder {path.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        raise UserError(f"cannot write the export to {path}: {e.strerror or e}") from None


@records.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default=None,
              help="md: a personal development plan (default); json: every record. "
                   "Default: json when FILE ends in .json.")
@click.option("--output", "-o", type=click.Path(dir_okay=True, path_type=Path), default=None,
              metavar="FILE", help="Write to FILE instead of standard output.")
@click.pass_context
def export(ctx: click.Context, fmt: str | None, output: Path | None) -> None:
    """Export everything: a Markdown plan, or JSON that re-imports record by record."""
    import json

    from agent.export import export_json, export_markdown

    settings = get_settings(ctx)
    if output is not None:
        target = output.expanduser().resolve()
        database = settings.database_path.expanduser().resolve()
        if target in {database, Path(f"{database}-wal"), Path(f"{database}-shm")}:
            raise UserError(f"refusing to write the export over the database {database}")
    if fmt is None:
        fmt = "json" if output is not None and output.suffix.lower() == ".json" else "md"

    store = _store(ctx)
    profile, saved = store.profile(), store.list()
    if fmt == "json":
        text = json.dumps(export_json(profile, saved), ensure_ascii=False, indent=2) + "\n"
    else:
        text = export_markdown(profile, saved, date.today())
    if output is None:
        click.echo(text, nl=False)
        return
    _write_atomically(output.expanduser(), text)
    count = sum(r.kind != "profile" for r in saved)
    click.echo(f"exported {count} record{'s' if count != 1 else ''} ({fmt}) to {output}")


@records.command("delete")
@click.argument("record_id", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@click.pass_context
def delete(ctx: click.Context, record_id: str, yes: bool) -> None:
    """Delete one record. Deleting a goal keeps its critiques and check-ins."""
    from agent.export import KIND_LABELS, record_title

    store = _store(ctx)
    record = store.get(record_id)  # an unknown id fails here, before any question
    label = f"{KIND_LABELS.get(record.kind, record.kind)} {record.id} ({record_title(record, 50)})"
    if not yes:
        if not _stdin_is_interactive():
            raise UserError(f"not deleting {record.id} without confirmation: pass --yes to delete it")
        if not click.confirm(f"Delete {label}?", default=False):
            click.echo("Nothing deleted.")
            return
    deleted = store.delete(record.id)
    click.echo(f"deleted {deleted.kind} {deleted.id}")


def _show_profile(profile, where: Path) -> None:
    lines = ["What Align remembers about you:"]
    if not (profile.name or profile.values or profile.vision or profile.roles):
        lines.append("  nothing yet. Add some with, for example, "
                     "`align profile --add-value honesty --vision \"...\"`.")
    else:
        from agent.export import one_line

        def join(items: list[str]) -> str:
            return ", ".join(one_line(i) for i in items) if items else "—"

        lines += [
            f"  name:    {one_line(profile.name) if profile.name else '—'}",
            f"  values:  {join(profile.values)}",
            f"  vision:  {one_line(profile.vision) if profile.vision else '—'}",
            f"  roles:   {join(profile.roles)}",
        ]
    lines.append(f"Kept in {where} (only on this machine). Change it with the options of `align profile`.")
    click.echo("\n".join(lines))


@click.command()
@click.option("--name", default=None, help="What you like to be called.")
@click.option("--add-value", "add_values", multiple=True, metavar="V", help="Add a value (repeatable).")
@click.option("--remove-value", "remove_values", multiple=True, metavar="V",
              help="Remove a value (repeatable).")
@click.option("--vision", default=None, metavar="TEXT", help="Set your vision statement.")
@click.option("--add-role", "add_roles", multiple=True, metavar="R", help="Add a role (repeatable).")
@click.option("--remove-role", "remove_roles", multiple=True, metavar="R",
              help="Remove a role (repeatable).")
@click.option("--clear", is_flag=True, help="Forget everything in the profile (before other edits).")
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
@click.pass_context
def profile(ctx: click.Context, name: str | None, add_values: tuple[str, ...],
            remove_values: tuple[str, ...], vision: str | None, add_roles: tuple[str, ...],
            remove_roles: tuple[str, ...], clear: bool, as_json: bool) -> None:
    """See and edit what Align remembers about you: name, values, vision, roles."""
    from agent.records import Profile
    from agent.store import edit_profile

    settings = get_settings(ctx)
    store = _store(ctx)
    edits = {"name": name, "vision": vision, "add_values": add_values,
             "remove_values": remove_values, "add_roles": add_roles, "remove_roles": remove_roles}
    editing = any(v not in (None, ()) for v in edits.values())
    # After --clear, start from nothing: the old profile is not even read (it may be damaged).
    current = Profile() if clear else store.profile()
    # Apply the edits before touching the database, so a bad value changes nothing.
    updated = edit_profile(current, max_vision_chars=settings.max_input_chars, **edits)
    if editing and (clear or updated != current):
        store.save_profile(updated)  # replaces any older profile in the same transaction
    elif clear:
        store.clear_profile()
    if as_json:
        emit_json(updated)
        return
    if clear:
        click.echo("Forgot your old profile.")
    _show_profile(updated, settings.database_path)

