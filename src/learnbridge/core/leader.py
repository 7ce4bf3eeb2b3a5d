"""One process among several: the app served with `--workers N` runs N processes, and only one of them
may run the in-process job runner. It is the one holding an exclusive lock on a file under var_dir (the
operating system releases it when that process exits, however it exits, and another takes over at its
next look). The file says which process holds it."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class Leadership:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def hold(self) -> bool:
        """Whether this process leads, taking the lock when it is free (never waits)."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
