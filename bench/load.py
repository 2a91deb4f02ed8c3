"""A small open-loop HTTP/1.1 load generator for 127.0.0.1.

Open loop: request i is due at start + i / rate whether or not earlier ones have answered, and its latency is
counted from when it was due, so a slow server cannot hide its queueing (no coordinated omission).
"""

import asyncio
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    sent: int
    failed: int
    elapsed_s: float
    latencies_ms: list[float]

    @property
    def throughput_rps(self) -> float:
        return (self.sent - self.failed) / self.elapsed_s

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _run(host: str, port: int, requests: list[bytes], rate_rps: float | None, connections: int) -> LoadResult:
    latencies: list[float] = []
    failed = 0
    next_index = 0
    start = time.perf_counter()

    async def worker() -> None:
        nonlocal next_index, failed
        reader, writer = await asyncio.open_connection(host, port)
        while next_index < len(requests):
            index = next_index
            next_index += 1
            due = start + index / rate_rps if rate_rps else time.perf_counter()
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)  # pacing the load, not synchronising
            writer.write(requests[index])
            status = await _read_response(reader)
            latencies.append((time.perf_counter() - due) * 1000.0)
            if status != 200:
                failed += 1
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return LoadResult(len(requests), failed, time.perf_counter() - start, latencies)


def run_load(host: str, port: int, requests: list[bytes], *, rate_rps: float | None, connections: int) -> LoadResult:
    """rate_rps=None sends as fast as the connections allow (closed loop, for peak throughput)."""
    return asyncio.run(_run(host, port, requests, rate_rps, connections))
