"""Command line for imports: `import KIND FILE` previews and applies; `imports list|show|rollback|template`."""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from llmcompare.config import Settings
from llmcompare.imports.apply import apply_plan
from llmcompare.imports.context import load_context
from llmcompare.imports.plan import Decisions, NewModel, Plan, build_plan
from llmcompare.imports.refresh import RefreshError, fetch
from llmcompare.imports.template import template_csv
from llmcompare.imports.upload import KINDS, Options, Upload
from llmcompare.store.engine import make_engine
from llmcompare.store.imports import ImportRefused, import_changes, imports_log, rollback_import
from llmcompare.store.migrations import migrate

SECTIONS = (
    ("changed", "CHANGED"),
    ("new", "NEW"),
    ("confirmed", "UNCHANGED, RECORDED AS CONFIRMED"),
    ("gone", "NO LONGER IN THE FILE"),
    ("added", "ADDED NAMES"),
)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `import` and `imports` on the main parser."""
    imp = sub.add_parser("import", help="check a file, preview what it changes, apply it after review")
    imp.add_argument("kind", choices=list(KINDS), help="; ".join(f"{k}: {v}" for k, v in KINDS.items()))
    imp.add_argument("file", nargs="?", type=Path, help="the file; for eu-osai also a folder of YAML files")
    imp.add_argument("--fetch", action="store_true", help="litellm: download the public map instead of a file")
    imp.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
    imp.add_argument("--yes", action="store_true", help="apply without asking")
    imp.add_argument("--who", help="your name, for the audit log")
    imp.add_argument("--as-of", type=date.fromisoformat, help="the date the file's facts describe (default: today)")
    imp.add_argument("--edition", help="fmti: the edition, YYYY-MM")
    imp.add_argument("--indicators", type=Path, help="fmti: indicators CSV, for sheets without a Domain column")
    imp.add_argument(
        "--map", action="append", default=[], metavar="NAME=MODEL_ID", help="an unknown name is this model"
    )
    imp.add_argument(
        "--add", action="append", default=[], metavar="NAME=DEVELOPER:LICENCE", help="add an unknown name as a model"
    )
    imp.add_argument(
        "--skip-unchanged", action="store_true", help="only count unchanged facts; do not record them as of this date"
    )
    imp.add_argument("--show", type=int, default=15, help="lines to print per section (default 15)")
    imp.set_defaults(run=run_import)
    log = sub.add_parser("imports", help="the import audit log: list, show, rollback, template")
    actions = log.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every import, newest first").set_defaults(run=run_list)
    show = actions.add_parser("show", help="what one import changed")
    show.add_argument("id", type=int)
    show.set_defaults(run=run_show)
    back = actions.add_parser("rollback", help="undo one import")
    back.add_argument("id", type=int)
    back.add_argument("--who", help="your name, for the audit log")
    back.add_argument("--yes", action="store_true", help="roll back without asking")
    back.set_defaults(run=run_rollback)
    tpl = actions.add_parser("template", help="write the CSV template for hand-entered facts")
    tpl.add_argument("--out", type=Path, default=Path("llmcompare-facts-template.csv"))
    tpl.set_defaults(run=run_template)


def _engine(settings: Settings) -> Engine:
    """The store, upgraded first: an older database lacks the audit tables and import links."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    return engine


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _read_upload(args: argparse.Namespace, settings: Settings) -> Upload:
    """The file, a folder zipped in memory, or the fetched map; size is checked before anything is read."""
    limit = int(settings.import_max_mb * 1_000_000)
    if args.fetch:
        if args.kind != "litellm":
            raise ValueError("--fetch only works for the litellm kind")
        data = fetch(settings.litellm_url, settings.refresh_timeout_s, limit)
        return Upload("litellm", settings.litellm_url.rsplit("/", 1)[-1] or "litellm.json", data, settings.litellm_url)
    if args.file is None:
        raise ValueError("give a FILE (or --fetch for litellm)")
    if args.file.is_dir() and args.kind == "eu-osai":
        return Upload(args.kind, f"{args.file.name}.zip", _zip_folder(args.file, limit))
    if not args.file.is_file():
        raise ValueError(f"file not found: {args.file}")
    if args.file.stat().st_size > limit:
        size = args.file.stat().st_size / 1_000_000
        raise ValueError(
            f"{args.file} is {size:,.1f} MB; the limit is {limit / 1_000_000:,.1f} MB (LLMCOMPARE_IMPORT_MAX_MB)"
        )
    return Upload(args.kind, args.file.name, args.file.read_bytes())


def _zip_folder(folder: Path, limit: int) -> bytes:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    if sum(p.stat().st_size for p in files) > limit:
        raise ValueError(f"{folder} holds more than {limit / 1_000_000:,.1f} MB (LLMCOMPARE_IMPORT_MAX_MB)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in files:
            archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def _decisions(args: argparse.Namespace) -> Decisions:
    decisions = Decisions()
    for item in args.map:
        name, _, model_id = item.rpartition("=")
        if not name or not model_id:
            raise ValueError(f"--map wants NAME=MODEL_ID, got {item!r}")
        decisions.mapped[name] = model_id
    for item in args.add:
        name, _, spec = item.rpartition("=")
        developer, _, licence = spec.partition(":")
        if not name or not developer or not licence:
            raise ValueError(f"--add wants NAME=DEVELOPER_ID:LICENCE_ID, got {item!r}")
        decisions.added[name] = NewModel(name, developer, licence)
    return decisions


def print_plan(plan: Plan, show: int) -> None:
    """The preview as a person reads it: counts, then each section, then what was left out."""
    counts = plan.counts
    print(f"{plan.kind} {plan.file_name} ({plan.size_bytes:,} bytes, sha256 {plan.sha256[:12]}) as of {plan.as_of}")
    print(
        f"  new {counts['new']:,} · changed {counts['changed']:,} · unchanged {counts['unchanged']:,} · "
        f"confirmed {counts['confirmed']:,} · "
        f"no longer in the file {counts['gone']:,} · unknown names {counts['unknown']:,} · "
        f"skipped {counts['skipped']:,} · problems {counts['errors']:,}"
    )
    for key, title in SECTIONS:
        lines = [c for c in plan.changes if c.change == key]
        if lines:
            print(f"{title} ({len(lines):,})")
        for c in lines[:show]:
            arrow = f"{c.old} -> {c.new}" if c.old and c.new else c.new or c.old
            print(f"  {c.subject} | {c.fact}: {arrow}" + (f"  [{c.note}]" if c.note else ""))
        if len(lines) > show:
            print(f"  ... and {len(lines) - show:,} more")
    if plan.unknown:
        print(
            f"UNKNOWN NAMES ({len(plan.unknown):,}), not imported: --map NAME=MODEL_ID or --add NAME=DEVELOPER:LICENCE"
        )
        for u in plan.unknown[:show]:
            hint = ", ".join(s.id for s in u.suggestions)
            print(
                f"  {u.name} ({u.facts} fact{'s' if u.facts > 1 else ''})"
                + (f" -> did you mean {hint}?" if hint else "")
            )
        if len(plan.unknown) > show:
            print(f"  ... and {len(plan.unknown) - show:,} more")
    for reason, count in sorted(plan.skipped.items()):
        print(f"  skipped {count:>5,}: {reason}")


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        upload = _read_upload(args, settings)
        decisions = _decisions(args)
    except (ValueError, RefreshError) as exc:
        return _fail(str(exc))
    today = date.today()
    indicators = args.indicators.read_bytes() if args.indicators is not None else None
    limit = int(settings.import_max_mb * 1_000_000)
    options = Options(args.as_of or today, today, limit, args.edition, indicators, not args.skip_unchanged)
    engine = _engine(settings)
    plan = build_plan(load_context(engine), upload, options, decisions)
    print_plan(plan, args.show)
    if plan.blocked:
        print(f"{len(plan.problems)} problem(s); nothing was written:", file=sys.stderr)
        for problem in plan.problems[: max(args.show, 50)]:
            print(f"  {problem.describe()}", file=sys.stderr)
        return 1
    if args.dry_run or not plan.writes:
        print("dry run: nothing was written" if args.dry_run else "nothing to apply: the store already has every fact")
        return 0
    if not args.yes and not _confirm(f"Apply {len(plan.writes):,} row(s)?"):
        print("cancelled: nothing was written")
        return 1
    try:
        import_id = apply_plan(engine, plan, who=args.who)
    except ImportRefused as exc:
        return _fail(str(exc))
    print(f"applied as import #{import_id}; undo with: python -m llmcompare imports rollback {import_id}")
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        print(f"{question} Not a terminal: add --yes to apply, or --dry-run to preview.", file=sys.stderr)
        return False
    return input(f"{question} [y/N] ").strip().lower() in {"y", "yes"}


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    log = imports_log(_engine(settings))
    if log.empty:
        print("no imports yet")
        return 0
    for r in log.itertuples():
        who = f" by {r.who}" if r.who else ""
        state = "" if r.status == "applied" else f" ROLLED BACK {r.rolled_back_at:%Y-%m-%d}"
        print(
            f"#{r.id} {r.created_at:%Y-%m-%d %H:%M}{who} {r.kind} {r.file_name} sha256 {r.sha256[:12]}: new {r.new}, "
            f"changed {r.changed}, unchanged {r.unchanged}, gone {r.gone}, unknown {r.unknown}{state}"
        )
    return 0


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    changes = import_changes(_engine(settings), args.id)
    if changes.empty:
        return _fail(f"import #{args.id} does not exist or changed nothing")
    for r in changes.itertuples():
        arrow = f"{r.old_value} -> {r.new_value}" if r.old_value and r.new_value else r.new_value or r.old_value
        print(f"{r.change:8} {r.subject} | {r.fact}: {arrow}")
    return 0


def run_rollback(args: argparse.Namespace, settings: Settings) -> int:
    if not args.yes and not _confirm(f"Roll back import #{args.id}?"):
        print("cancelled: nothing was changed")
        return 1
    try:
        result = rollback_import(_engine(settings), args.id, who=args.who)
    except ImportRefused as exc:
        return _fail(str(exc))
    print(f"rolled back import #{result.import_id}: {result.deleted} row(s) removed, {result.restored} restored")
    return 0


def run_template(args: argparse.Namespace, settings: Settings) -> int:
    args.out.write_bytes(template_csv())
    print(f"wrote the CSV template to {args.out}")
    return 0
