"""Downloads of uploaded documents: published ones (`content.selectors.published_documents`)
for everybody, the others only for the members of the authority that owns them. Uploaded files
are never served from an open folder."""

from __future__ import annotations

import posixpath

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from jumelage.content.models import Document
from jumelage.content.selectors import published_documents

# Types a browser may show in place; anything else is offered as a download.
SHOWN_IN_PLACE = {".pdf", ".png", ".jpg", ".jpeg", ".txt"}


@require_safe
def document_file(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    document = get_object_or_404(Document.objects.exclude(file=""), pk=pk)
    public = published_documents().filter(pk=pk).exists()
    if not public and not Document.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404  # the same answer as for a document that does not exist
    name = posixpath.basename(document.file.name or "")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=posixpath.splitext(name)[1].lower() not in SHOWN_IN_PLACE,
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
