"""How long work shows its progress on stderr: a line per step on a pipe, one that redraws itself on a terminal."""

import sys


def show_progress(done: int, total: int, text: str) -> None:
    """One line per text on a pipe; a line that updates itself on a terminal."""
    if total == 0:
        return
    line = f"[{done}/{total}] {text[:60]}" if text else f"[{done}/{total}] done"
    if sys.stderr.isatty():
        print(f"\r\033[K{line}", end="" if text else "\n", file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


class ProgressBar:
    """A bar that redraws itself on a terminal; on a pipe, one line per tenth of the work."""

    WIDTH = 30

    def __init__(self, verb: str) -> None:
        self._verb = verb
        self._tty = sys.stderr.isatty()
        self._shown_tenth = 0

    def __call__(self, done: int, total: int, name: str) -> None:
        filled = self.WIDTH * done // total
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self._verb} {done}/{total} {name[:40]}"
        if self._tty:
            print(f"\r\033[K{line}", end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done * 10 // total > self._shown_tenth or done == total:
            self._shown_tenth = done * 10 // total
            print(line, file=sys.stderr, flush=True)
