"""`greetline apply DIR`: every document in a folder, each applied on its own, the rest still applied when one fails.

Checking a document (validation, the path checker, its recordings) is CPU work and runs in worker processes; the
database takes each document in its own transaction, in file-name order. The routing snapshot is written once per
batch of documents instead of once per document: it holds every number, so a rewrite per document made a folder of
10,000 documents quadratic. Texts are rendered as speech afterwards in worker threads (speech engines wait on the
network or on a subprocess).

The one place a document is applied otherwise than through `ivr.usecases.documents.apply_document`: there the
checker runs inside the transaction and also hears the business's stored speech as measured; here it runs in the
workers and hears the document's own recordings only, since checking a document takes about 13 ms and 10,000 of
them in the one process that writes would triple the time of a folder (docs/benchmarks.md: 46 s).
"""

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from audio.errors import AudioError
from audio.media import MediaStore
from ivr.document.lint import lint
from ivr.document.load import document_data
from ivr.document.model import BusinessDocument
from ivr.errors import DocumentError, GreetlineError
from ivr.routing.directory import routing_of
from ivr.settings import Settings
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database
from ivr.store.snapshot import Routing
from ivr.usecases.documents import Checked, check_text, read_document

if TYPE_CHECKING:
    from ivr.usecases.rendering import RenderReport

DOCUMENT_SUFFIXES = (".yaml", ".yml")
# Documents per task sent to a checking process: enough to make the hand-over cheap, few enough to keep all busy.
CHECK_CHUNK = 16
# Applied documents whose routing is written to the snapshot together (a server on this machine hears them from
# the snapshot at the latest after this many; from the database's revision stamp anyway).
SNAPSHOT_EVERY = 500

# (documents done, documents in all, the file just done)
BulkProgress = Callable[[int, int, str], None]
# Speaks one stored business's texts (ivr.cli.runtime.Runtime.renderer), from several threads at once.
RenderBusiness = Callable[[StoredBusiness], "RenderReport"]


@dataclass(frozen=True)
class Prepared:
    """One file, checked: its document, or the reason it is refused (one line naming every problem)."""

    path: Path
    document: BusinessDocument | None
    warnings: list[str]
    refused: str | None


@dataclass
class BulkReport:
    total: int
    applied: list[tuple[Path, StoredBusiness]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    render_problems: list[str] = field(default_factory=list)
    rendered: int = 0


def documents_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise GreetlineError(f"{folder} is not a folder; give a folder of .yaml documents or one document")
    paths = sorted(path for path in folder.iterdir() if path.suffix in DOCUMENT_SUFFIXES and path.is_file())
    if not paths:
        raise GreetlineError(f"{folder} holds no .yaml documents; put one business document per file there")
    return paths


# One media store per worker process, made on its first document: an S3 client is made once, not per document.
_media_stores: dict[str, MediaStore] = {}


def _media_store(settings: Settings) -> MediaStore:
    from ivr.audio_stores import storage

    key = settings.model_dump_json()
    if key not in _media_stores:
        _media_stores[key] = storage(settings).media
    return _media_stores[key]


def prepare(path: Path, settings: Settings) -> Prepared:
    """In a worker process: read, check, store the recordings the document names, check again with them measured."""
    from ivr.usecases.measured import upload_durations
    from ivr.usecases.uploads import attach_uploads

    try:
        checked = check_text(read_document(path))
        if checked.document is None:
            checked.accepted()  # refuses, naming every problem
        assert checked.document is not None
        media = _media_store(settings)
        document, notes = attach_uploads(checked.document, path.parent, media)
        durations = upload_durations(document, media)
        if durations:  # checked again with the recordings measured; without any the checker would find the same
            document, findings = Checked(document, lint(document, durations)).accepted()
        else:
            findings = checked.accepted()[1]
    except DocumentError as error:
        return Prepared(path, None, [], f"{len(error.problems)} problem(s): " + "; ".join(error.problems))
    except (GreetlineError, AudioError) as error:
        return Prepared(path, None, [], str(error))
    warnings = [f"{finding.where}: {finding.message}" for finding in findings] + [str(note) for note in notes]
    return Prepared(path, document, warnings, None)


def _prepare_in_worker(job: tuple[Path, Settings]) -> Prepared:
    return prepare(*job)


def _prepared(paths: list[Path], settings: Settings, workers: int) -> Iterator[Prepared]:
    """Checked in `workers` processes (spawned: the caller may already hold database connections and threads)."""
    if workers == 1:
        yield from (prepare(path, settings) for path in paths)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_prepare_in_worker, [(path, settings) for path in paths], chunksize=CHECK_CHUNK)


def _save(database: Database, document: BusinessDocument, now: datetime) -> StoredBusiness:
    with database.transaction() as session:
        return businesses.save(session, document.business, list(document.numbers), document_data(document), now)


def apply_folder(
    settings: Settings,
    database: Database,
    folder: Path,
    *,
    workers: int,
    progress: BulkProgress,
    renderer: Callable[[], RenderBusiness] | None = None,
) -> BulkReport:
    """Apply every document in `folder` (into a database with the schema); a refused document is reported by its
    file name, the others applied. `settings`: for the checking processes; `renderer`: when given and documents
    were applied, makes what speaks their texts."""
    paths = documents_in(folder)
    report = BulkReport(total=len(paths))
    routing: list[tuple[int, int, dict[str, Routing]]] = []
    for done, prepared in enumerate(_prepared(paths, settings, workers), start=1):
        _apply_one(database, prepared, report, routing)
        if len(routing) >= SNAPSHOT_EVERY:
            database.routing.put_businesses(routing)
            routing = []
        progress(done, len(paths), prepared.path.name)
    if routing:
        database.routing.put_businesses(routing)
    if renderer is not None and report.applied:
        _render_all(renderer(), report, workers)
    return report


def _apply_one(
    database: Database, prepared: Prepared, report: BulkReport, routing: list[tuple[int, int, dict[str, Routing]]]
) -> None:
    name = prepared.path.name
    if prepared.document is None:
        report.failed.append((prepared.path, prepared.refused or "refused"))
        return
    try:
        stored = _save(database, prepared.document, datetime.now(UTC))
    except GreetlineError as error:  # e.g. a number that belongs to another business
        report.failed.append((prepared.path, str(error)))
        return
    report.applied.append((prepared.path, stored))
    report.warnings += [f"{name}: warning: {warning}" for warning in prepared.warnings]
    routing.append((stored.id, stored.revision, routing_of(prepared.document, stored.id, stored.revision)))


def _render_all(render_business: RenderBusiness, report: BulkReport, workers: int) -> None:
    def render(item: tuple[Path, StoredBusiness]) -> tuple[str, int, list[str]]:
        path, stored = item
        try:
            rendered = render_business(stored)
        except (GreetlineError, AudioError) as error:
            return path.name, 0, [str(error)]
        return path.name, len(rendered.rendered), [str(problem) for problem in rendered.problems]

    with ThreadPoolExecutor(workers) as pool:
        for name, count, problems in pool.map(render, report.applied):
            report.rendered += count
            report.render_problems += [f"{name}: not rendered: {problem}" for problem in problems]
