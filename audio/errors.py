"""The error tree of the audio package (the audio helper fills this in)."""


class AudioError(Exception):
    """An audio input or operation refused, with a one-line reason that says what to do."""
