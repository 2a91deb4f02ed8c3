"""The engine in a child process of its own, for `greetline serve`: the served process answers calls and must not
hold a 300 MB model, import faster-whisper, or lose its two cores' share to decoding while a call waits.

The child is started (spawned, not forked: a fork would copy the server's threads and sockets) on the first
recording and kept, so the model loads once and stays warm. A child that dies is started again on the next
recording; one that takes longer than its time is killed, and that recording's transcript is tried again later.
"""

import contextlib
import multiprocessing
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from audio.transcribe.model import EngineSpec, Heard, TranscriberError, UndecodableRecording

# A child asked to stop has this long to finish before it is killed.
STOP_TIMEOUT_S = 5.0


def _serve(spec: EngineSpec, connection: Connection) -> None:
    # Here, in the child: the parent (the served process) never imports numpy or the engines.
    from audio.transcribe.listen import listen, make_engine

    engine = make_engine(spec)
    while True:
        try:
            request = connection.recv()
        except EOFError:  # the parent is gone
            return
        if request is None:
            return
        audio, languages = request
        try:
            connection.send(("heard", listen(engine, audio, languages)))
        except UndecodableRecording as error:
            connection.send(("undecodable", str(error)))
        except TranscriberError as error:
            connection.send(("failed", str(error)))


class ChildProcess:
    def __init__(self, spec: EngineSpec, timeout_s: float) -> None:
        self._spec = spec
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _started(self) -> Connection:
        if self._process is None or not self._process.is_alive() or self._connection is None:
            self._stop_child()
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            self._process = context.Process(
                target=_serve, args=(self._spec, theirs), name="greetline-transcriber", daemon=True
            )
            self._process.start()
            theirs.close()
            self._connection = ours
        return self._connection

    def heard(self, audio: bytes, languages: tuple[str, ...]) -> Heard:
        with self._lock:
            connection = self._started()
            try:
                connection.send((audio, languages))
                if not connection.poll(self._timeout_s):
                    self._stop_child(kill=True)
                    raise TranscriberError(f"the transcriber took longer than {self._timeout_s:.0f} s; stopped it")
                outcome, value = connection.recv()
            except (EOFError, OSError) as error:
                self._stop_child(kill=True)
                raise TranscriberError(f"the transcriber process ended unexpectedly: {error!r}") from error
        if outcome == "undecodable":
            raise UndecodableRecording(value)
        if outcome == "failed":
            raise TranscriberError(value)
        heard: Heard = value
        return heard

    def close(self) -> None:
        with self._lock:
            self._stop_child()

    def _stop_child(self, kill: bool = False) -> None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            if not kill:
                with contextlib.suppress(OSError):
                    connection.send(None)
            connection.close()
        if process is not None:
            if kill:
                process.kill()
            process.join(STOP_TIMEOUT_S)
            if process.is_alive():
                process.kill()
                process.join(STOP_TIMEOUT_S)
