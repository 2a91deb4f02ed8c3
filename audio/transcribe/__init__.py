"""Voicemail in words (issue 22): the Transcriber seam, its two engines, and the check that a recording holds a
voice at all. The engines load their libraries (faster-whisper, httpx) only when first used."""
