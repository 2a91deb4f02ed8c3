"""Serving normalised greetings to Twilio (and the preview to people): immutable, cacheable.

The app streams each object from the media store itself, so a `<Play>` URL answers a plain GET with 200 and the
audio's type on every replica, whichever store is behind it (no redirect to a presigned URL: see
docs/scaling.md). From a local directory, byte ranges are served too (a browser's player seeks with them).
"""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response, StreamingResponse

from audio.media import CONTENT_TYPES, MEDIA_ID, Extension, MediaStore
from audio.objects import LocalObjects

# The URL changes whenever the audio does (it is the content's hash), so caches may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def media_router(media: MediaStore) -> APIRouter:
    router = APIRouter(tags=["media"])

    @router.get("/media/{media_id}.{extension}", summary="A greeting's audio")
    @router.head("/media/{media_id}.{extension}", summary="A greeting's audio, headers only", include_in_schema=False)
    def serve_media(media_id: str, extension: str, request: Request) -> Response:
        content_type = CONTENT_TYPES.get(extension)
        if content_type is None or not MEDIA_ID.match(media_id):
            raise HTTPException(404, "no such recording")
        kind: Extension = "wav" if extension == "wav" else "mp3"
        etag = f'"{media_id}.{extension}"'
        headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
        if _matches(request.headers.get("if-none-match"), etag) and media.exists(media_id):
            return Response(status_code=304, headers=headers)
        if isinstance(media.objects, LocalObjects):
            path = media.objects.path_of(media.object_key(media_id, kind))
            if not path.is_file():
                raise HTTPException(404, "no such recording")
            return FileResponse(path, media_type=content_type, headers=headers)
        blob = media.stream(media_id, kind)
        if blob is None:
            raise HTTPException(404, "no such recording")
        headers["Content-Length"] = str(blob.size)
        if request.method == "HEAD":
            blob.chunks.close()
            return Response(status_code=200, media_type=content_type, headers=headers)
        return StreamingResponse(blob.chunks, media_type=content_type, headers=headers)

    return router


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 section 13.1.2: a list of tags, weak comparison, or "*"."""
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags
