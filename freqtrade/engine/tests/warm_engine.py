# A warm engine for tests: one `python -m gentrade_engine serve` per test module, so each
# validation pays a fork instead of Freqtrade's import. Requests may come from several
# threads at once; replies are matched by id. The server's stderr (Freqtrade's logs) goes
# to a file whose tail is attached to failures.

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from tests.support import ENGINE_DIR, scratch


class WarmEngine:
    def __init__(
        self,
        slots: int = 2,
        isolation: str = "full",
        env: dict[str, str] | None = None,
        prefix: tuple[str, ...] = (),
        cwd: Path | None = None,
        pass_fds: tuple[int, ...] = (),
        engine_dir: Path = ENGINE_DIR,
    ) -> None:
        folder = scratch(f"serve-{os.getpid()}-{id(self)}")
        self._log = folder / "stderr.log"
        self._log_file = self._log.open("wb")
        self._proc = subprocess.Popen(
            [
                *prefix, sys.executable, "-m", "gentrade_engine", "serve",
                "--slots", str(slots), "--isolation", isolation,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log_file,
            cwd=cwd or folder,
            pass_fds=pass_fds,
            env={**os.environ, **(env or {}), "PYTHONPATH": str(engine_dir)},
        )
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._waiting: dict[str, Future[dict[str, Any]]] = {}
        # Every progress event, in order (a backtest's phases, a hyperopt's epochs).
        self.progress: list[dict[str, Any]] = []
        assert self._proc.stdout is not None
        first = self._proc.stdout.readline()
        if not first:
            raise RuntimeError(f"the engine server did not start:\n{self.log_tail()}")
        self.ready: dict[str, Any] = json.loads(first)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def log_tail(self, chars: int = 3000) -> str:
        self._log_file.flush()
        return self._log.read_text(encoding="utf-8", errors="replace")[-chars:]

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            reply = json.loads(line)
            # A backtest's progress events share its id; the request waits for its reply.
            if reply.get("event") == "progress":
                self.progress.append(reply)
                continue
            with self._lock:
                waiter = self._waiting.pop(reply.get("id"), None)
            if waiter is not None:
                waiter.set_result(reply)
        with self._lock:
            for waiter in self._waiting.values():
                waiter.set_exception(RuntimeError(f"the engine server exited:\n{self.log_tail()}"))
            self._waiting.clear()

    def request(
        self,
        command: str,
        request: dict[str, Any],
        limits: dict[str, Any] | None = None,
        timeout: float = 300,
    ) -> dict[str, Any]:
        request_id = f"t{next(self._ids)}"
        waiter: Future[dict[str, Any]] = Future()
        line: dict[str, Any] = {"id": request_id, "command": command, "request": request}
        if limits is not None:
            line["limits"] = limits
        with self._lock:
            self._waiting[request_id] = waiter
            assert self._proc.stdin is not None
            self._proc.stdin.write((json.dumps(line) + "\n").encode())
            self._proc.stdin.flush()
        return waiter.result(timeout=timeout)

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=5)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._log_file.close()
