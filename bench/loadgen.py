"""A small HTTP/1.1 load generator: keep-alive connections, one request in flight on each, all driven by
one event loop (uvloop where installed) in a process of its own. Standard library otherwise, so that
process starts quickly and spends as little as it can of the CPU it shares with the server it measures.

Each connection sends its own request over and over (so each can carry its own user's cookie or token),
times every answer from the first byte written to the last byte read, and counts an answer only if it
completes inside the measured window, after the warm-up. Anything but 200 is an error, counted by status
(0: the connection failed or was closed by the server); errors are not in the latencies."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import cast

HOST = "127.0.0.1"


def request_bytes(path: str, headers: dict[str, str] | None = None) -> bytes:
    """A keep-alive GET of `path` with these extra headers, as sent on the wire."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "Connection: keep-alive", "User-Agent: lb-load"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass(frozen=True)
class Load:
    """`connections` connections to 127.0.0.1:`port`; connection i sends requests[i % len(requests)]."""

    port: int
    requests: tuple[bytes, ...]
    connections: int
    seconds: float
    warmup: float = 1.0


@dataclass
class Measured:
    connections: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, one per 200 inside the window
    errors: Counter[int] = field(default_factory=Counter)  # status (0: connection) -> count

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, pct: float) -> float:
        """The latency at this percentile (nearest rank), in seconds; 0 with no answers."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class _Window:
    def __init__(self, warmup: float, seconds: float) -> None:
        now = time.perf_counter()
        self.begin, self.end = now + warmup, now + warmup + seconds
        self.stopped = False


class _Connection(asyncio.Protocol):
    """Sends its request, reads the answer (Content-Length framed), records it, sends again."""

    def __init__(self, request: bytes, window: _Window, out: Measured) -> None:
        self.request, self.window, self.out = request, window, out
        self.buffer = bytearray()
        self.need = -1  # bytes the current answer takes, once its head is in
        self.status = 0
        self.started = 0.0
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is one, not a subclass
        self._send()

    def _send(self) -> None:
        assert self.transport is not None
        self.started = time.perf_counter()
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.need < 0 and not self._read_head():
            return
        if len(self.buffer) < self.need:
            return
        now = time.perf_counter()
        del self.buffer[: self.need]
        self.need = -1
        if self.window.begin <= now <= self.window.end:
            if self.status == 200:
                self.out.latencies.append(now - self.started)
            else:
                self.out.errors[self.status] += 1
        if self.window.stopped or now > self.window.end:
            self.close()
        else:
            self._send()

    def _read_head(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.buffer[:end]).lower()
        self.status = int(head[9:12])
        start = head.find(b"\r\ncontent-length:")
        if start < 0:
            raise RuntimeError("an answer without Content-Length (chunked answers are not supported)")
        stop = head.find(b"\r\n", start + 2)
        self.need = end + 4 + int(head[start + 17 : stop if stop > 0 else len(head)])
        return True

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


async def _drive(load: Load, request: bytes, window: _Window, out: Measured, live: list[_Connection]) -> None:
    loop = asyncio.get_running_loop()
    while not window.stopped:
        try:
            _, conn = await loop.create_connection(lambda: _Connection(request, window, out), HOST, load.port)
        except OSError:
            out.errors[0] += 1
            await asyncio.sleep(0.05)
            continue
        live.append(conn)
        await conn.closed
        live.remove(conn)
        if not window.stopped and time.perf_counter() < window.end:
            out.errors[0] += 1  # the server closed a keep-alive connection mid-run


async def _run(load: Load) -> Measured:
    out = Measured(load.connections, load.seconds)
    window = _Window(load.warmup, load.seconds)
    live: list[_Connection] = []
    tasks = [
        asyncio.create_task(_drive(load, load.requests[i % len(load.requests)], window, out, live))
        for i in range(load.connections)
    ]
    await asyncio.sleep(max(0.0, window.end - time.perf_counter()))
    window.stopped = True
    for conn in list(live):
        conn.close()
    await asyncio.wait(tasks, timeout=5)
    return out


def measure(load: Load) -> Measured:
    """Run `load` in this process (the bench runs it in a process of its own: see `generator`)."""
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        return runner.run(_run(load))


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        return None
    return uvloop.new_event_loop


class Generator:
    """A load generator process, kept for many measurements (started once: spawning costs a second)."""

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    def measure(self, load: Load) -> Measured:
        return self.pool.submit(measure, load).result()


@contextmanager
def generator() -> Iterator[Generator]:
    """A `Generator` in a fresh process (spawned, so it holds none of this process's state)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        yield Generator(pool)


CANNED_BODY = b'{"status":"ok","version":"0.1.0"}'
CANNED = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
    len(CANNED_BODY),
    CANNED_BODY,
)


class _Canned(asyncio.Protocol):
    """Answers every request it reads with the same bytes, at once: a server that costs next to nothing."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        heads = self.buffer.count(b"\r\n\r\n")
        if heads:
            self.buffer = self.buffer[self.buffer.rfind(b"\r\n\r\n") + 4 :]
            self.transport.write(CANNED * heads)


def _serve_canned(port: int) -> None:
    async def serve() -> None:
        server = await asyncio.get_running_loop().create_server(_Canned, HOST, port)
        await server.serve_forever()

    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(serve())


@contextmanager
def canned_server() -> Iterator[int]:
    """A server that answers instantly, in a process of its own: what the generator reaches against it is
    the generator's own ceiling on this machine."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port = int(sock.getsockname()[1])
    process = get_context("spawn").Process(target=_serve_canned, args=(port,), daemon=True)
    process.start()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or not process.is_alive():
                    raise RuntimeError("the canned server did not start") from None
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.join(10)
