"""Writes of the reporting app: the import of an IATI activity file.

The import is the documented bulk path beside tenancy.services.save_owned and
register.services.save_shared: a national import holds thousands of activities, each with a
dozen parts, and one audited save per row would take hours. It keeps the write path's guarantees:
- the user, when there is one, must be allowed to edit the shared directory (as save_shared);
- every row is validated with the model's field validation (`full_clean`) before it is written,
  and a row that fails is left out with a warning;
- the whole file is one transaction: a refused or broken file writes nothing;
- one audit entry records the import (file, counts), with the member authority it was for.
Writes happen in batches: a fixed number of queries per batch, whatever the batch's content.
Idempotent: activities are matched by iati-identifier and rewritten only when the fingerprint
of their XML changed; organisations are matched by their IATI identifier and never duplicated.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jumelage.audit.models import AuditEntry
from jumelage.audit.services import audit_record
from jumelage.partners.models import MemberAuthority
from jumelage.register.selectors import may_add_entries
from jumelage.reporting.iati.reader import (
    PARSER_VERSION,
    ActivityFileReader,
    ImportRefused,
    LimitedReader,
    ParsedActivity,
    ParsedOrg,
    too_big_message,
)
from jumelage.reporting.models import (
    ExternalActivity,
    ExternalCountry,
    ExternalParticipation,
    ExternalRegion,
    ExternalSector,
    IatiOrganisation,
    ImportRun,
)

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
BATCH_SIZE = 200
KEPT_WARNINGS = 500  # on the import run; the count is always complete
KEPT_ACTIVITY_WARNINGS = 100

ACTIVITY_FIELDS = [
    "reporting_org",
    "title",
    "description",
    "status",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "currency",
    "budget_total",
    "incoming_total",
    "commitment_total",
    "disbursement_total",
    "expenditure_total",
    "last_updated",
    "iati_version",
    "content_hash",
    "warnings",
    "last_import",
    "updated_at",
]
# Narratives come in any language of IATI's list, not only the platform's content languages,
# so TranslatedField's own validator is replaced by `_check_narratives` for imported text.
NARRATIVE_FIELDS = {"title", "description", "name"}
CHILD_MODELS = (ExternalParticipation, ExternalSector, ExternalCountry, ExternalRegion)

__all__ = ["ImportRefused", "ImportResult", "import_iati_file", "max_import_bytes"]


def max_import_bytes() -> int:
    return int(getattr(settings, "IATI_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class ImportResult:
    activities: int = 0
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)
    run: ImportRun | None = None
    # The earlier import of the same file whose result this one repeated without reading it.
    same_as: ImportRun | None = None

    @property
    def unchanged(self) -> int:
        """Activities stored already with the same content: nothing written for them."""
        return self.activities - self.created - self.updated

    def summary(self) -> str:
        return _(
            "imported %(activities)s activities: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged (nothing written), %(warnings)s warnings"
        ) % {
            "activities": self.activities,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": len(self.warnings),
        }


def _check_narratives(instance: models.Model) -> None:
    for name in NARRATIVE_FIELDS:
        value = getattr(instance, name, None)
        if value is None:
            continue
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and 2 <= len(k) <= 3 and isinstance(v, str) for k, v in value.items()
        ):
            raise ValidationError({name: _("Imported texts must be plain text by language.")})


def _clean(instance: models.Model, *, relations: Iterable[str] = ()) -> None:
    """Field validation without a query per row: relations are set by the import itself."""
    exclude = {*relations} | {f.name for f in instance._meta.fields if f.name in NARRATIVE_FIELDS}
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    _check_narratives(instance)


def _describe(error: ValidationError) -> str:
    return "; ".join(error.messages)


class _Import:
    def __init__(self, run: ImportRun, result: ImportResult) -> None:
        self.run = run
        self.result = result
        self.now = timezone.now()
        # {identifier: stored row} found by `recorded` for the activities read but not yet
        # written; each batch takes (and forgets) its own, so this stays as small as a batch.
        self.stored: dict[str, ExternalActivity] = {}
        self.wrote_warnings = False
        # (identifier, content hash) of each activity kept, in file order (`repeatable`).
        self.found: list[tuple[str, str]] = []

    def recorded(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        """Of these (identifier, content hash), the activities stored already with that
        content, with the warnings recorded at their import: a re-import does not read them
        again. One query a batch, whose rows the batch's write then uses (`save_batch`)."""
        pairs = set(wanted)
        rows = (
            ExternalActivity.objects.filter(
                iati_identifier__in=[identifier for identifier, _hash in wanted]
            )
            .order_by()
            .only("pk", "iati_identifier", "content_hash", "created_at", "warnings")
        )
        found: dict[tuple[str, str], list[str]] = {}
        for row in rows:
            self.stored[row.iati_identifier] = row
            warnings = row.warnings or []
            # A row keeps at most KEPT_ACTIVITY_WARNINGS warnings: one that kept that many may
            # have had more, and is read again so that the import reports all of them, as the
            # first did.
            if (row.iati_identifier, row.content_hash) in pairs and len(
                warnings
            ) < KEPT_ACTIVITY_WARNINGS:
                found[(row.iati_identifier, row.content_hash)] = list(warnings)
        return found

    def saved_run(self) -> ImportRun:
        """The import run, written the first time a row needs it (`last_import`): an import
        that writes no activity writes its run once, at the end."""
        if self.run.pk is None:
            self.run.save()
        return self.run

    def warn(self, message: str, identifier: str = "") -> None:
        """A warning of the reading: the same file read again gives it again."""
        self.result.warnings.append(f"{identifier}: {message}" if identifier else message)

    def warn_on_write(self, message: str, identifier: str = "") -> None:
        """A warning of the writing (a row refused): an import that repeats this one's result
        without reading the file could not give it, so this run's result is not repeated."""
        self.wrote_warnings = True
        self.warn(message, identifier)

    # --- organisations ----------------------------------------------------------------------

    def organisations(self, batch: list[ParsedActivity]) -> dict[str, IatiOrganisation]:
        """The organisations the batch names with an IATI identifier, created if new.

        The first name met wins; a later one only adds languages it lacks, so that importing a
        file again changes nothing.
        """
        wanted: dict[str, ParsedOrg] = {}
        for parsed in batch:
            orgs = [p.org for p in parsed.participations]
            if parsed.reporting_org is not None:
                orgs.insert(0, parsed.reporting_org)
            for org in orgs:
                if not org.ref:
                    continue
                known = wanted.get(org.ref)
                if known is None:
                    wanted[org.ref] = ParsedOrg(org.ref, org.type, dict(org.names))
                else:
                    known.names = {**org.names, **known.names}
                    known.type = known.type or org.type
        found = {o.ref: o for o in IatiOrganisation.objects.filter(ref__in=list(wanted))}
        to_create: list[IatiOrganisation] = []
        to_update: list[IatiOrganisation] = []
        for ref, org in wanted.items():
            current = found.get(ref)
            if current is None:
                current = IatiOrganisation(ref=ref, name=org.names, type=org.type)
                bucket = to_create
            else:
                names = {**org.names, **(current.name or {})}
                kind = current.type or org.type
                if names == current.name and kind == current.type:
                    continue
                current.name, current.type, current.updated_at = names, kind, self.now
                bucket = to_update
            try:
                _clean(current)
            except ValidationError as error:
                self.warn_on_write(
                    _("The organisation %(ref)s could not be stored (%(error)s).")
                    % {"ref": ref, "error": _describe(error)}
                )
                continue
            bucket.append(current)
            found[ref] = current
        IatiOrganisation.objects.bulk_create(to_create)
        IatiOrganisation.objects.bulk_update(to_update, ["name", "type", "updated_at"])
        return {ref: org for ref, org in found.items() if org.pk is not None}

    # --- activities -------------------------------------------------------------------------

    def save_batch(self, batch: list[ParsedActivity]) -> None:
        self.result.activities += len(batch)
        self.found += [(p.identifier, p.content_hash) for p in batch]
        # The stored rows the reader's query of each batch found (`recorded`): no query here.
        existing = {
            p.identifier: row
            for p in batch
            if (row := self.stored.pop(p.identifier, None)) is not None
        }
        # An activity the reader found stored with its content was not read: never written
        # (even if another import changed the row since: the later import stands).
        changed = [
            p
            for p in batch
            if not p.unchanged
            and (
                p.identifier not in existing
                or existing[p.identifier].content_hash != p.content_hash
            )
        ]
        for parsed in batch:
            for message in parsed.warnings:
                self.warn(message, parsed.identifier)
        if not changed:
            return
        orgs = self.organisations(changed)
        self.saved_run()
        created: list[ExternalActivity] = []
        updated: list[ExternalActivity] = []
        rows: list[tuple[ExternalActivity, ParsedActivity]] = []
        for parsed in changed:
            row = existing.get(parsed.identifier) or ExternalActivity(
                iati_identifier=parsed.identifier
            )
            self._fill(row, parsed, orgs)
            try:
                _clean(row, relations=("reporting_org", "last_import"))
            except ValidationError as error:
                self.warn_on_write(
                    _("The activity could not be stored (%(error)s); it was skipped.")
                    % {"error": _describe(error)},
                    parsed.identifier,
                )
                continue
            (updated if row.pk else created).append(row)
            rows.append((row, parsed))
        ExternalActivity.objects.bulk_create(created)
        ExternalActivity.objects.bulk_update(updated, ACTIVITY_FIELDS)
        self.result.created += len(created)
        self.result.updated += len(updated)
        if updated:
            for model in CHILD_MODELS:
                model.objects.filter(activity__in=[row.pk for row in updated]).delete()
        self._save_parts(rows, orgs)

    def _fill(
        self, row: ExternalActivity, parsed: ParsedActivity, orgs: dict[str, IatiOrganisation]
    ) -> None:
        reporting = parsed.reporting_org
        row.reporting_org = orgs.get(reporting.ref) if reporting and reporting.ref else None
        row.title = parsed.title
        row.description = parsed.description
        row.status = parsed.status
        row.planned_start = parsed.dates.get("1")
        row.actual_start = parsed.dates.get("2")
        row.planned_end = parsed.dates.get("3")
        row.actual_end = parsed.dates.get("4")
        row.currency = parsed.currency
        for name in ("budget", "incoming", "commitment", "disbursement", "expenditure"):
            setattr(row, f"{name}_total", parsed.totals.get(name))
        row.last_updated = parsed.last_updated
        row.iati_version = parsed.version[:10]
        row.content_hash = parsed.content_hash
        row.warnings = parsed.warnings[:KEPT_ACTIVITY_WARNINGS]
        row.last_import = self.run
        row.updated_at = self.now

    def _save_parts(
        self,
        rows: list[tuple[ExternalActivity, ParsedActivity]],
        orgs: dict[str, IatiOrganisation],
    ) -> None:
        parts: dict[type[models.Model], list[models.Model]] = {model: [] for model in CHILD_MODELS}
        for row, parsed in rows:
            candidates: list[models.Model] = []
            for participation in parsed.participations:
                org = orgs.get(participation.org.ref) if participation.org.ref else None
                candidates.append(
                    ExternalParticipation(
                        activity=row,
                        organisation=org,
                        name={} if org else participation.org.names,
                        role=participation.role,
                        type=participation.org.type,
                        their_activity_id=participation.their_activity_id,
                    )
                )
            candidates += [
                ExternalSector(activity=row, vocabulary=v, code=c, percentage=p)
                for v, c, p in parsed.sectors
            ]
            candidates += [
                ExternalCountry(activity=row, country_code=c, percentage=p)
                for c, p in parsed.countries
            ]
            candidates += [
                ExternalRegion(activity=row, vocabulary=v, code=c, percentage=p)
                for v, c, p in parsed.regions
            ]
            for part in candidates:
                try:
                    _clean(part, relations=("activity", "organisation"))
                except ValidationError as error:
                    self.warn_on_write(
                        _("A %(part)s could not be stored (%(error)s); it was skipped.")
                        % {"part": part._meta.verbose_name, "error": _describe(error)},
                        parsed.identifier,
                    )
                    continue
                parts[type(part)].append(part)
        for model, objects in parts.items():
            model.objects.bulk_create(objects)  # type: ignore[attr-defined]


def _open(source: str | Path | IO[bytes], limit: int) -> tuple[IO[bytes], str, bool]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            size = os.stat(path).st_size
            if size > limit:
                raise ImportRefused(too_big_message(limit, size))
            return open(path, "rb"), path.name, True  # closed by the caller
        except OSError as error:
            raise ImportRefused(
                _("The file %(name)s cannot be read (%(error)s); check its path and rights.")
                % {"name": path, "error": error.strerror or error}
            ) from error
    return source, getattr(source, "name", "") or "upload.xml", False


# The key of the PostgreSQL advisory lock IATI imports take (any number no other lock uses).
IMPORT_LOCK = 0x1A7111


def _one_import_at_a_time() -> None:
    """Make a concurrent IATI import wait until this one commits or rolls back.

    The imported activities and organisations are shared by every authority: two officers
    importing files that name the same activity or the same new organisation at once would
    both insert it, and the second import would fail on the unique identifier after all its
    work. Taken first thing in the import's transaction, the lock makes the second wait, then
    read what the first wrote (an unchanged activity is then skipped, a new organisation
    found). Readers are never blocked. On PostgreSQL an advisory lock held until the
    transaction ends; SQLite's transactions take the database's write lock as they begin
    (config/settings.py), which does the same."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def import_iati_file(
    source: str | Path | IO[bytes],
    *,
    authority: MemberAuthority | None = None,
    user: Any = None,
    file_name: str = "",
    max_bytes: int | None = None,
    today: datetime.date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import an IATI activity file (a path or a binary stream) in one transaction.

    `authority` is the member authority the import is made for (recorded with the run and in
    the audit log); the imported activities themselves are shared, like the directory.
    Raises ImportRefused, with a message saying what to do, for a file that cannot be imported;
    nothing is written then.
    `progress(activities)` is called after each batch; `before_commit(result)` once everything
    is written, inside the transaction (a background job marks itself done there, so that the
    rows and the mark commit together); what it raises rolls the whole import back.
    """
    if user is not None and not may_add_entries(user):
        raise PermissionDenied(
            _("You may not import into the shared directory. Ask an officer of your authority.")
        )
    limit = max_bytes if max_bytes is not None else max_import_bytes()
    stream, name, owned = _open(source, limit)
    result = ImportResult()
    try:
        run = ImportRun(
            authority=authority,
            user=user if getattr(user, "is_authenticated", False) else None,
            file_name=(file_name or name)[:300],
        )
        sha256 = _fingerprint(stream, limit)
        job = _Import(run, result)
        reader = ActivityFileReader(
            stream,
            max_bytes=limit,
            today=today or timezone.localdate(),
            recorded=job.recorded,
            batch_size=batch_size,
        )
        with transaction.atomic():
            _one_import_at_a_time()
            earlier = _same_file(sha256, authority) if sha256 else None
            if earlier is not None:
                _repeat(earlier, run, result)
            else:
                _read(reader, job, batch_size, progress)
                result.warnings[:0] = reader.warnings
                run.iati_version = reader.version[:10]
                run.file_sha256 = reader.sha256
                run.activities = result.activities
                run.created = result.created
                run.updated = result.updated
                run.warning_count = len(result.warnings)
                run.warnings = result.warnings[:KEPT_WARNINGS]
                if not job.wrote_warnings and len(result.warnings) <= KEPT_WARNINGS:
                    run.reader = READER
                    run.manifest = zlib.compress(
                        json.dumps([identifier for identifier, _hash in job.found]).encode()
                    )
                    run.stored_digest = _stored_digest(job.found)
            if progress is not None and earlier is not None:
                progress(result.activities)
            run.save()
            changes: dict[str, Any] = {
                "file": run.file_name,
                "sha256": run.file_sha256,
                "activities": result.activities,
                "created": result.created,
                "updated": result.updated,
                "warnings": run.warning_count,
            }
            if earlier is not None:
                changes["same_as"] = earlier.pk
            audit_record(
                user=user,
                instance=run,
                action=AuditEntry.Action.ACTION,
                authority_id=authority.pk if authority else None,
                changes=changes,
                verb="IATI import",
            )
            result.run = run
            if before_commit is not None:
                before_commit(result)
    finally:
        if owned:
            stream.close()
    return result


def _read(
    reader: ActivityFileReader,
    job: _Import,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> None:
    """Read the file and write its activities, a batch at a time."""
    pending: list[ParsedActivity] = []
    seen: set[str] = set()
    for parsed in reader:
        if parsed.identifier in seen:
            job.warn(
                _(
                    "The activity appears more than once in the file; only its first "
                    "occurrence was imported."
                ),
                parsed.identifier,
            )
            continue
        seen.add(parsed.identifier)
        pending.append(parsed)
        if len(pending) >= batch_size:
            job.save_batch(pending)
            pending = []
            if progress is not None:
                progress(job.result.activities)
    if pending:
        job.save_batch(pending)
        if progress is not None:
            progress(job.result.activities)


# --- The same file again ---------------------------------------------------------------------
# Publishers' files are fetched again and again, most often unchanged. An import whose result
# can be repeated exactly (every warning kept, none raised while writing) records the
# identifiers of the activities it kept and a fingerprint of their stored contents. A later
# import of the same bytes, for the same authority and by the same reader, finds it; if every
# one of those activities is still stored with that content (one query a batch, whatever
# changed them since: another file, a deletion), the earlier result is repeated without
# reading the file: nothing is written but the run and its audit entry, as a reading would
# have found. Otherwise the file is read as usual.

READER = PARSER_VERSION.decode()


def _fingerprint(stream: IO[bytes], limit: int) -> str | None:
    """The file's SHA-256, read with the import's own checks (size, DOCTYPE), then rewound;
    None for a stream that cannot be rewound (it is then read once, by the import)."""
    try:
        if not stream.seekable():
            return None
        start = stream.tell()
    except (AttributeError, OSError, ValueError):
        return None
    checked = LimitedReader(stream, limit)
    while checked.read(1 << 20):
        pass
    stream.seek(start)
    return checked.sha256.hexdigest()


def _stored_digest(pairs: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for identifier, content_hash in pairs:
        digest.update(f"{identifier}\0{content_hash}\n".encode())
    return digest.hexdigest()


def _same_file(sha256: str, authority: MemberAuthority | None) -> ImportRun | None:
    """The latest import of this very file for this authority whose result can be repeated,
    if every activity it kept is still stored with the content it had; else None."""
    earlier = (
        ImportRun.objects.filter(file_sha256=sha256, authority=authority, reader=READER)
        .exclude(stored_digest="")
        .order_by("-pk")
        .first()
    )
    if earlier is None:
        return None
    identifiers: list[str] = json.loads(zlib.decompress(bytes(earlier.manifest)))
    stored: dict[str, str] = {}
    for start in range(0, len(identifiers), BATCH_SIZE):
        stored.update(
            ExternalActivity.objects.filter(
                iati_identifier__in=identifiers[start : start + BATCH_SIZE]
            )
            .order_by()
            .values_list("iati_identifier", "content_hash")
        )
    pairs = ((identifier, stored.get(identifier, "")) for identifier in identifiers)
    if _stored_digest(pairs) != earlier.stored_digest:
        return None
    return earlier


def _repeat(earlier: ImportRun, run: ImportRun, result: ImportResult) -> None:
    """Give `run` the result of `earlier`, an import of the same file (`_same_file`)."""
    result.activities = earlier.activities
    result.warnings = list(earlier.warnings)
    result.same_as = earlier
    for name in (
        "file_sha256",
        "iati_version",
        "activities",
        "warning_count",
        "warnings",
        "reader",
        "manifest",
        "stored_digest",
    ):
        setattr(run, name, getattr(earlier, name))
    run.created = run.updated = 0
    run.same_as_id = earlier.same_as_id or earlier.pk
