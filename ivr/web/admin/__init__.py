"""The staff admin page (/admin): server-rendered, Dutch and English, for practice assistants."""
