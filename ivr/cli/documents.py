"""`greetline apply`, `lint`, `holidays`, `render` and `export`: business documents and their texts."""

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ivr.cli.arguments import positive_int
from ivr.cli.progress import ProgressBar, show_progress
from ivr.cli.runtime import load_settings, runtime
from ivr.errors import DocumentError, InputError


def _apply(args: argparse.Namespace) -> int:
    if Path(args.file).is_dir():
        if args.if_new:
            raise InputError("--if-new applies one document file; a folder's documents replace their businesses")
        if args.move_past_periods:
            raise InputError("--move-past-periods applies one document file (the demo); apply a folder without it")
        return _apply_folder(args)
    from ivr.cli.commands import apply_file

    with runtime() as opened:
        lines = apply_file(
            opened,
            Path(args.file),
            render=args.render,
            progress=show_progress,
            if_new=args.if_new,
            move_past_periods=args.move_past_periods,
        )
        print("\n".join(lines))
    return 0


def _apply_folder(args: argparse.Namespace) -> int:
    import time

    from ivr.usecases.folders import apply_folder

    started = time.monotonic()
    with runtime() as opened:
        opened.migrate()
        report = apply_folder(
            opened.settings,
            opened.database,
            Path(args.file),
            workers=args.workers,
            progress=ProgressBar("applied"),
            renderer=opened.renderer if args.render else None,
        )
    for path, reason in report.failed:
        print(f"greetline: error: {path}: {reason}", file=sys.stderr)
    print("\n".join(report.warnings + report.render_problems))
    rendered = f"; {report.rendered} text(s) rendered as speech" if args.render else ""
    print(
        f"applied {len(report.applied)} of {report.total} document(s) in {time.monotonic() - started:.1f} s"
        f"{rendered}; {len(report.failed)} refused"
    )
    return 1 if report.failed else 2 if report.render_problems else 0


def _render(args: argparse.Namespace) -> int:
    from ivr.cli.commands import render_report_lines
    from ivr.usecases.rendering import render_number

    with runtime() as opened:
        report = render_number(opened.database, opened.audio, opened.engines, args.number, show_progress)
    print("\n".join(render_report_lines(report)))
    return 0 if not report.problems else 2


def _lint(args: argparse.Namespace) -> int:
    from ivr.cli.commands import lint_file
    from ivr.document.findings import as_json
    from ivr.usecases.documents import as_finding

    try:
        findings = lint_file(Path(args.file), load_settings().sms_from).findings
    except DocumentError as error:  # not YAML at all: nothing else can be checked
        findings = [as_finding(problem) for problem in error.found]
    if args.json:
        print(as_json(findings))
    elif args.language:
        from ivr.web.admin.i18n import translations
        from ivr.web.admin.problem_words import problem_words

        words = translations(args.language)
        for finding in findings:
            print(f"{finding.level.value}: {finding.where}: {problem_words(words, finding)}")
    else:
        for finding in findings:
            print(finding)
    refused = sum(1 for finding in findings if finding.level.value == "error")
    if refused:
        print(
            f"greetline: error: {refused} error(s); apply refuses this document until they are fixed", file=sys.stderr
        )
        return 1
    if not findings and not args.json:
        print(f"{args.file}: no problems found")
    return 0


def _holidays(args: argparse.Namespace) -> int:
    from pydantic_core import PydanticCustomError

    from ivr.callflow.model import Country
    from ivr.document.holidays import holidays_of, known_region

    country = Country("GB" if args.country.upper() == "UK" else args.country.upper())
    try:
        region = known_region(country, args.region)
    except PydanticCustomError as error:
        raise InputError(f"--region: {error.message()}") from None
    for day, name in holidays_of(country, args.year or date.today().year, region, args.language):
        print(f"{day.isoformat()}  {day:%a}  {name}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from ivr.cli.commands import export_number

    with runtime() as opened:
        sys.stdout.write(export_number(opened, args.number))
    return 0


def register(commands: Any) -> None:
    apply = commands.add_parser(
        "apply",
        help="apply a business document (YAML), or every document in a folder",
        description="Check a business document (errors refuse it whole, warnings are printed), normalise the "
        "recordings it names, store it, then render its texts as speech (see `greetline render`). Given a folder, "
        "every .yaml document in it is applied in its own transaction: a refused one is named and the rest are "
        "applied (exit status 1 if any was refused).",
        epilog="example: greetline apply examples/huisartsenpraktijk-de-linde.yaml",
    )
    apply.add_argument("file", help="path to the YAML document, or a folder of them")
    apply.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="processes checking a folder's documents, threads rendering them (default: one per CPU)",
    )
    apply.add_argument("--no-render", dest="render", action="store_false", help="do not render the texts as speech now")
    apply.add_argument(
        "--if-new",
        action="store_true",
        help="leave a business that exists already as it is stored (a document file, not a folder); `make run` "
        "applies the demo this way, so a restart keeps the changes made on the admin page",
    )
    apply.add_argument(
        "--move-past-periods",
        action="store_true",
        help="move each period that is over on by whole years to its next time (a document file, not a folder); "
        "`make run` applies the demo this way, so its Christmas period is always the coming one",
    )
    apply.set_defaults(func=_apply)

    lint = commands.add_parser(
        "lint",
        help="check a business document's greetings without applying it",
        description="Check a business document: errors (which stop apply) and warnings, each saying what to change.",
        epilog="example: greetline lint examples/huisartsenpraktijk-de-linde.yaml",
    )
    lint.add_argument("file", help="path to the YAML document")
    lint.add_argument("--json", action="store_true", help="print the findings as JSON (code, severity, where, message)")
    lint.add_argument(
        "--language",
        choices=["nl", "en", "de", "fr"],
        help="word each finding in this language, as the admin page does (default: the English sentences)",
    )
    lint.set_defaults(func=_lint)

    holidays = commands.add_parser(
        "holidays",
        help="list a country's public holidays by the names holidays: accepts",
        description="Print a country's (and a region's) public holidays for a year, named in a language. A "
        "document's holidays: list closes the business on the ones it names (as printed here in the business's "
        "language, in English or in the country's own, in any case), or on dates written MM-DD (every year) or "
        "YYYY-MM-DD (once). Where the country has no names in the language asked for, a neighbour's name for the same "
        "day is printed (Germany in Dutch: Hemelvaartsdag), else the country's own.",
        epilog="example: greetline holidays DE --region NW --language de --year 2027",
    )
    holidays.add_argument(
        "country", type=str.upper, choices=["NL", "BE", "DE", "FR", "GB", "UK", "US"], help="the business's country"
    )
    holidays.add_argument("--region", help="the region (document's region:), e.g. NW for Nordrhein-Westfalen")
    holidays.add_argument(
        "--language", choices=["nl", "en", "de", "fr"], default="en", help="the names' language (default: en)"
    )
    holidays.add_argument("--year", type=int, help="the year to list (default: this year)")
    holidays.set_defaults(func=_holidays)

    render = commands.add_parser(
        "render",
        help="turn every text of a business into normalised speech recordings",
        description="Render the business's texts with the speech engines (GREETLINE_TTS_ENGINES order, the offline "
        "engine last), normalise them and store them; calls play them instead of <Say> at once. Texts already "
        "rendered are kept. Exits 2 if some texts could not be rendered (calls keep using <Say> for those).",
        epilog="example: greetline render +31501234567",
    )
    render.add_argument("number", help="one of the business's numbers, E.164")
    render.set_defaults(func=_render)

    export = commands.add_parser("export", help="print the document of the business answering NUMBER")
    export.add_argument("number", help="one of the business's numbers, E.164, e.g. +31501234567")
    export.set_defaults(func=_export)
