"""The one place audio storage is made from Settings: greetings (uploads and renders), the speech cache and
voicemail recordings, in local directories or one S3-compatible bucket (GREETLINE_MEDIA_URL).

Made once per process (the web app's Services, each CLI command, the worker) and passed in, so no call site
can forget the second backend.
"""

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from audio.media import MediaStore
from audio.objects import LocalObjects, ObjectStore
from audio.tts.cache import SpeechCache
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.settings import Settings

MEDIA_PREFIX = "media"
SPEECH_PREFIX = "speech-cache"
# Never under MEDIA_PREFIX: the public /media route reads only that one.
VOICEMAIL_PREFIX = "voicemail"


@dataclass(frozen=True)
class Storage:
    media: MediaStore
    speech: SpeechCache
    voicemails: VoicemailAudio


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str

    def under(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name


def s3_location(media_url: str | None) -> S3Location | None:
    if media_url is None or not media_url.startswith("s3://"):
        return None
    parts = urllib.parse.urlsplit(media_url)
    return S3Location(parts.netloc, parts.path.strip("/"))


def media_directory(settings: Settings) -> Path:
    if settings.media_url is not None and settings.media_url.startswith("file://"):
        return Path(urllib.parse.unquote(urllib.parse.urlsplit(settings.media_url).path))
    return Path(settings.media_dir)


def prepare_storage(settings: Settings) -> str | None:
    """Create the bucket if it is missing (as `migrate` creates tables); says so when it did."""
    location = s3_location(settings.media_url)
    if location is None:
        return None
    from audio.s3_objects import S3Objects, s3_client

    if S3Objects(s3_client(), location.bucket, location.prefix).ensure_bucket():
        return f"created the bucket {location.bucket!r}"
    return None


def storage(settings: Settings) -> Storage:
    media: ObjectStore
    speech: ObjectStore
    voicemails: ObjectStore
    location = s3_location(settings.media_url)
    if location is not None:
        from audio.s3_objects import S3Objects, encryption, s3_client

        client = s3_client()
        at_rest = encryption(settings.s3_sse, settings.s3_sse_kms_key_id)
        media = S3Objects(client, location.bucket, location.under(MEDIA_PREFIX), encrypted=at_rest)
        speech = S3Objects(client, location.bucket, location.under(SPEECH_PREFIX), encrypted=at_rest)
        voicemails = S3Objects(client, location.bucket, location.under(VOICEMAIL_PREFIX), encrypted=at_rest)
    else:
        media = LocalObjects(media_directory(settings))
        speech = LocalObjects(Path(settings.speech_cache_dir))
        voicemails = LocalObjects(Path(settings.voicemail_dir), private=True)
    return Storage(MediaStore(media), SpeechCache(speech), VoicemailAudio(voicemails))
