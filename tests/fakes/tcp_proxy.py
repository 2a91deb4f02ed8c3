"""A TCP proxy in front of a real server that can be told to stall: accept connections, forward nothing.

This is how a PostgreSQL server behaves that is stuck (a full disk, a hung storage volume, a half-dead network
path): connecting works, nothing ever answers. The operating system still acknowledges what is sent, so no
client-side TCP timeout ever fires; only the application's own deadlines help.
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

# Enough for a PostgreSQL message burst; the size only affects how many recv calls a transfer takes.
CHUNK_BYTES = 65536


class StallingProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._flowing = threading.Event()
        self._flowing.set()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = [self._listener]
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="stalling-proxy", daemon=True).start()

    def stall(self) -> None:
        """From now on nothing passes, in either direction, on new or open connections."""
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    def drop(self) -> None:
        """Cut every open connection, as a lost network path does; new ones are accepted as before."""
        with self._lock:
            cut = [sock for sock in self._sockets if sock is not self._listener]
            self._sockets = [self._listener]
        for sock in cut:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._closed.set()
        self._flowing.set()  # let waiting pumps run into the closed sockets and end
        with self._lock:
            for sock in self._sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            self._track(client)
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self._flowing.wait()  # stalled: the connection is accepted and then left alone
        if self._closed.is_set():
            return
        try:
            server = socket.create_connection(self.upstream)
        except OSError:
            client.close()
            return
        self._track(server)
        threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(CHUNK_BYTES):
                self._flowing.wait()  # stalled: what arrived is held back until resumed
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def stalling_proxy(upstream: tuple[str, int]) -> Iterator[StallingProxy]:
    proxy = StallingProxy(upstream)
    try:
        yield proxy
    finally:
        proxy.close()
