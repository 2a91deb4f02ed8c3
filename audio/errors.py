"""The error tree of the audio package: every refusal says, in one line, what to do instead."""


class AudioError(Exception):
    """An audio input or operation refused, with a one-line reason that says what to do."""


class RefusedAudio(AudioError):
    """Input that is not audio we accept: wrong format, unreadable, silent, too short or too long."""


class AudioToolFailed(AudioError):
    """ffmpeg itself failed or was missing: not the user's file, the machine's set-up."""


class InvalidTarget(AudioError):
    """A loudness target outside what a telephone greeting can meet: the caller's mistake, not the file's."""
