"""Serving normalised greetings to Twilio (and the preview to people): immutable, cacheable, byte ranges."""

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from audio.media import MEDIA_ID

# The URL changes whenever the audio does (it is the content's hash), so caches may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg"}


def media_router(media_dir: Path) -> APIRouter:
    router = APIRouter(tags=["media"])

    @router.get("/media/{media_id}.{extension}", summary="A greeting's audio")
    @router.head("/media/{media_id}.{extension}", summary="A greeting's audio, headers only", include_in_schema=False)
    def media(media_id: str, extension: str, request: Request) -> Response:
        content_type = CONTENT_TYPES.get(extension)
        if content_type is None or not MEDIA_ID.match(media_id):
            raise HTTPException(404, "no such recording")
        path = media_dir / f"{media_id}.{extension}"
        if not path.is_file():
            raise HTTPException(404, "no such recording")
        etag = f'"{media_id}.{extension}"'
        if _matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": IMMUTABLE})
        return FileResponse(path, media_type=content_type, headers={"ETag": etag, "Cache-Control": IMMUTABLE})

    return router


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 section 13.1.2: a list of tags, weak comparison, or "*"."""
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags
