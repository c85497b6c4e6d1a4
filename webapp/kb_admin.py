"""What the admin page (/admin) needs beyond the entries' CRUD: counts, Markdown preview, the "try a
question" panel, version diffs, unanswered questions turned into entries, spreadsheet import/export.

Every write goes through ``knowledge_base.store`` (versions, authors, change log) and
``kb_routes.write`` (visible to this replica's search at once).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any, Dict, List, Optional

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from knowledge_base import diff, spreadsheet, store
from knowledge_base.models import DRAFT, PUBLISHED
from webapp import markdown_preview
from webapp.import_jobs import JOB_ID_PATTERN, ImportJobs, Job
from webapp.kb_routes import MAX_ID, EntryId, EntryIn, EntryOut, QuestionId, UnansweredOut, write
from webkit.accounts import AdminUser
from webkit.errors import MISSING, UNSUPPORTED, ApiError, field_error, not_found


class CategoryCount(BaseModel):
    category: str
    total: int
    published: int
    draft: int


class SummaryOut(BaseModel):
    total: int
    published: int
    draft: int
    unanswered: int
    categories: List[CategoryCount]


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    markdown: str = Field(max_length=markdown_preview.MAX_MARKDOWN)


class PreviewOut(BaseModel):
    html: str


class TryHit(BaseModel):
    id: str
    question: str
    category: str
    score: float
    bm25: float
    dense: float
    above_threshold: bool


class TryOut(BaseModel):
    query: str
    answered: bool
    threshold: float
    confidence: Optional[float] = Field(description="the calibrated probability that the best entry answers the "
                                                    "question: what is compared with the threshold")
    answer_id: Optional[str]
    answer_html: Optional[str]
    results: List[TryHit]


class FieldDiff(BaseModel):
    field: str
    kind: str
    changed: bool
    before: Any
    after: Any
    segments: List[Dict[str, str]]


class DiffOut(BaseModel):
    version: int
    previous: Optional[int]
    action: str
    author: str
    created_at: dt.datetime
    fields: List[FieldDiff]


class ImportOut(BaseModel):
    format: str
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    total: int
    ignored_columns: List[str]


class ImportJobOut(BaseModel):
    id: str
    status: str = Field(description="queued, running, succeeded (see result) or failed (see error)")
    dry_run: bool
    created_at: dt.datetime
    started_at: Optional[dt.datetime]
    finished_at: Optional[dt.datetime]
    result: Optional[ImportOut]
    error: Optional[Dict[str, Any]] = Field(description="what the import would have answered: its HTTP status, "
                                                        "code, message, and fields or details")

    @classmethod
    def of(cls, job: Job) -> "ImportJobOut":
        return cls(id=job.id, status=job.status, dry_run=job.dry_run, created_at=job.created_at,
                   started_at=job.started_at, finished_at=job.finished_at, result=job.result, error=job.error)


IMPORT_PATH = "/api/kb/import"  # the one path that takes a file (multipart/form-data), not JSON


def router() -> APIRouter:
    api = APIRouter(prefix="/api/kb", tags=["knowledge base admin"])
    @api.get("/summary", response_model=SummaryOut)
    def summary(request: Request, user: AdminUser) -> SummaryOut:
        with request.app.state.sessions() as session:
            entries = store.listing(session)
            unanswered = len(store.unanswered(session))
        by_category: Dict[str, Counter] = {}
        for entry in entries:
            by_category.setdefault(entry.category or "", Counter())[entry.status] += 1
        return SummaryOut(
            total=len(entries), unanswered=unanswered,
            published=sum(e.status == PUBLISHED for e in entries), draft=sum(e.status == DRAFT for e in entries),
            categories=[CategoryCount(category=name, total=sum(c.values()), published=c[PUBLISHED], draft=c[DRAFT])
                        for name, c in sorted(by_category.items())],
        )

    @api.post("/preview", response_model=PreviewOut)
    def preview(body: PreviewIn, user: AdminUser) -> PreviewOut:
        """The answer's Markdown as the sanitized HTML the page shows (links open in a new tab)."""
        return PreviewOut(html=markdown_preview.render(body.markdown))

    @api.get("/try", response_model=TryOut)
    def try_question(request: Request, user: AdminUser, q: str = Query(max_length=2000),
                     k: int = Query(5, ge=1, le=20)) -> TryOut:
        """What the bot would answer to ``q`` (published entries only). The question is never logged."""
        kb = request.app.state.kb
        result = kb.search(q, k)
        threshold = kb.retriever.threshold
        entries = {e.id: e for e in kb.entries([hit.id for hit in result.hits])}
        hits = [hit for hit in result.hits if hit.id in entries]
        best = entries[hits[0].id] if result.answered and hits else None
        return TryOut(
            query=q, answered=best is not None, threshold=threshold,
            confidence=result.confidence if hits else None,
            answer_id=best.id if best else None,
            answer_html=markdown_preview.render(best.answer) if best else None,
            results=[TryHit(id=hit.id, question=entries[hit.id].question, category=entries[hit.id].category or "",
                            score=hit.score, bm25=hit.bm25, dense=hit.dense, above_threshold=hit.score >= threshold)
                     for hit in hits],
        )

    @api.get("/entries/{entry_id}/diff", response_model=DiffOut)
    def version_diff(request: Request, entry_id: EntryId, user: AdminUser,
                     version: int = Query(ge=1, le=MAX_ID, description="compared with the version before it")
                     ) -> DiffOut:
        with request.app.state.sessions() as session:
            versions = {row.version: row for row in store.history(session, entry_id)}
        if version not in versions:
            raise not_found("this entry has no such version")
        row = versions[version]
        previous = max((v for v in versions if v < version), default=None)
        before = versions[previous].snapshot if previous is not None else None
        return DiffOut(version=version, previous=previous, action=row.action, author=row.author,
                       created_at=row.created_at,
                       fields=[FieldDiff(**f) for f in diff.diff_snapshots(before, row.snapshot)])

    @api.post("/unanswered/{question_id}/entry", response_model=EntryOut, status_code=201)
    def create_from_unanswered(body: EntryIn, request: Request, question_id: QuestionId,
                               user: AdminUser) -> EntryOut:
        """Create an entry for an unanswered question; the question is resolved by it (it leaves the list)."""
        data = body.model_dump(exclude_none=True)

        def change(session):
            store.open_unanswered(session, question_id)
            entry = store.create(session, data, user.username, data.get("status", DRAFT))
            store.resolve_unanswered(session, question_id, entry.id)
            return entry

        return write(request, change)

    @api.post("/unanswered/{question_id}/dismiss", response_model=UnansweredOut)
    def dismiss_unanswered(request: Request, question_id: QuestionId, user: AdminUser) -> UnansweredOut:
        """Not a knowledge-base question (spam, off topic): it leaves the list."""
        with request.app.state.sessions.begin() as session:
            return UnansweredOut.of(store.dismiss_unanswered(session, question_id))

    @api.get("/export")
    def export(request: Request, user: AdminUser,
               format: str = Query("csv", pattern="^(csv|xlsx)$")) -> Response:
        """Every entry that is not deleted, drafts included, as CSV (UTF-8 with BOM) or Excel."""
        with request.app.state.sessions() as session:
            entries = store.listing(session)
        content = spreadsheet.to_csv(entries) if format == "csv" else spreadsheet.to_xlsx(entries)
        name = f"co-so-tri-thuc-{dt.date.today():%Y%m%d}.{format}"
        return Response(content, media_type=spreadsheet.CSV_TYPE if format == "csv" else spreadsheet.XLSX_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})

    @api.post("/import", status_code=202, response_model=ImportJobOut, openapi_extra={"requestBody": {
        "required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                                        "properties": {"file": {
                                                                            "type": "string", "format": "binary"}}}}}}})
    async def import_file(request: Request, response: Response, user: AdminUser,
                          dry_run: bool = Query(False, description="check and count, apply nothing")) -> ImportJobOut:
        """A .csv or .xlsx file in the multipart field ``file``, imported in the background: 202 with the job,
        whose ``GET /api/kb/imports/{id}`` gives the result. Refused at once (413/415/400, ``fields`` with the
        code and the limit) when too large, not a spreadsheet, or an .xlsx whose archive declares too much.
        Every row is checked first and nothing is applied when one is wrong (the job fails with a 422 and
        ``details``: row, field, message); entries are created or updated by id, new ones without a status
        are drafts, unchanged rows write no version."""
        limits = request.app.state.settings.imports
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limits.max_bytes + 64 * 1024:
            raise spreadsheet.file_too_large(limits)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise ApiError(415, "unsupported_media_type", "send the file as multipart/form-data, field 'file'",
                           fields=[field_error("Content-Type", UNSUPPORTED, expected="multipart/form-data")])
        async with request.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ApiError(400, "bad_request", "send the file as multipart/form-data, field 'file'",
                               fields=[field_error("file", MISSING)])
            content = await upload.read(limits.max_bytes + 1)
            filename = upload.filename or ""
        kind = await run_in_threadpool(spreadsheet.check, filename, content, limits)  # before any parsing
        jobs: ImportJobs = request.app.state.import_jobs
        job = jobs.submit(lambda: _import(request.app.state, filename, kind, content, user.username, dry_run),
                          dry_run=dry_run, author=user.username)
        response.headers["Location"] = f"/api/kb/imports/{job.id}"
        return ImportJobOut.of(job)

    @api.get("/imports/{job_id}", response_model=ImportJobOut)
    def import_status(request: Request, job_id: Annotated[str, Path(pattern=JOB_ID_PATTERN, max_length=22)],
                      user: AdminUser) -> ImportJobOut:
        """Where an import is: queued, running, succeeded (``result``) or failed (``error``)."""
        job = request.app.state.import_jobs.get(job_id)
        if job is None:
            raise not_found("no such import (imports are kept an hour, by the replica that took the file)")
        return ImportJobOut.of(job)

    return api


def _import(state, filename: str, kind: str, content: bytes, author: str, dry_run: bool) -> ImportOut:
    sheet = spreadsheet.read(filename, content, state.settings.imports, kind)
    with state.sessions() as session:
        counts = spreadsheet.import_sheet(session, sheet, author)
        if dry_run:
            session.rollback()  # checked and counted, nothing applied
        else:
            session.commit()
    if not dry_run:
        state.kb.sync()
    return ImportOut(format=sheet.format, dry_run=dry_run, created=counts.created, updated=counts.updated,
                     unchanged=counts.unchanged, total=counts.total, ignored_columns=sheet.ignored_columns)
