# The server loop, single-threaded so that forking stays safe: select over stdin and the children's
# reply pipes, start queued requests while slots are free, kill children past their deadline.
# Stdout carries only reply lines; Freqtrade's logs go to stderr (see backtest/stdout_guard.py).
# The server is its children's subreaper: whatever a run left behind is killed when the run ends.

from __future__ import annotations

import logging
import os
import selectors
import sys
import time
from collections import deque
from typing import Any, TextIO

from gentrade_engine.backtest.stdout_guard import emit, reserve_stdout
from gentrade_engine.server import children, outcome, probe, sandbox
from gentrade_engine.server.protocol import Envelope, ProtocolError, parse_line
from gentrade_engine.server.warm import single_threaded_math, warm_up

_STDIN = 0
_MAX_LINE = 16 * 1024 * 1024


def _probe_network() -> sandbox.Network:
    """Without the OS boundary: fork once to learn whether children can still drop the network."""
    pid = os.fork()
    if pid == 0:
        os._exit(0 if sandbox.drop_network() == "isolated" else 1)
    _, status = os.waitpid(pid, 0)
    return "isolated" if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else "not isolated"


class _Server:
    def __init__(self, out: TextIO, slots: int, network: sandbox.Network) -> None:
        self.out = out
        self.slots = slots
        self.network = network
        self.queue: deque[Envelope] = deque()
        self.running: dict[int, children.Child] = {}
        self.selector = selectors.DefaultSelector()
        self.pending = b""
        self.stdin_open = True
        # Descendants that escape a child's process group (setsid) are handed to us, not init.
        self.subreaper = children.become_subreaper()

    def reply(self, request_id: str | None, payload: dict[str, Any]) -> None:
        network = payload.get("network", self.network)
        emit(self.out, {"id": request_id, **payload, "network": network})

    def on_line(self, line: bytes) -> None:
        if not line.strip():
            return
        try:
            envelope = parse_line(line.decode("utf-8", errors="replace"))
        except ProtocolError as err:
            self.reply(err.request_id, {"ok": False, "code": "BAD_REQUEST", "message": err.message})
            return
        if envelope.command == "ping":
            self.reply(envelope.id, {"ok": True, "pong": True, "pid": os.getpid()})
            return
        if envelope.command == "cancel":
            self.cancel(envelope)
            return
        self.queue.append(envelope)

    def read_stdin(self) -> None:
        data = os.read(_STDIN, 65536)
        if not data:
            self.stdin_open = False
            self.selector.unregister(_STDIN)
            data = b"\n"
        self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            self.on_line(line)
        if len(self.pending) > _MAX_LINE:
            self.pending = b""
            self.reply(None, {"ok": False, "code": "BAD_REQUEST", "message": "Request too long."})

    def start_queued(self) -> None:
        own = [_STDIN, self.out.fileno(), *self.running]
        while self.queue and len(self.running) < self.slots:
            child = children.start(self.queue.popleft(), own)
            self.running[child.fd] = child
            self.selector.register(child.fd, selectors.EVENT_READ, child)
            own.append(child.fd)

    def end(self, child: children.Child, stop: str | None = None) -> None:
        self.selector.unregister(child.fd)
        del self.running[child.fd]
        self.reply(child.envelope.id, children.finish(child, stop=stop))
        if self.subreaper:
            strays = children.reap_strays({c.pid for c in self.running.values()})
            if strays:
                logging.getLogger("gentrade_engine").warning(
                    "killed %d process(es) a run left behind: %s", len(strays), strays
                )

    def cancel(self, envelope: Envelope) -> None:
        target = envelope.request.get("id")
        queued = [e for e in self.queue if e.id == target]
        for waiting in queued:
            self.queue.remove(waiting)
            self.reply(waiting.id, outcome.cancelled_reply())
        running = [c for c in self.running.values() if c.envelope.id == target]
        for child in running:
            self.end(child, "cancel")
        self.reply(envelope.id, {"ok": True, "cancelled": len(queued) + len(running)})

    def read_child(self, child: children.Child) -> None:
        alive = children.read(child)
        for phase, percent, extra in children.new_progress(child):
            emit(
                self.out,
                {
                    "id": child.envelope.id,
                    "event": "progress",
                    "phase": phase,
                    "percent": percent,
                    **extra,
                },
            )
        if not alive:
            self.end(child)

    def step(self) -> None:
        self.start_queued()
        now = time.monotonic()
        deadlines = [c.deadline - now for c in self.running.values()]
        timeout = max(0.0, min(deadlines)) if deadlines else None
        for key, _ in self.selector.select(timeout):
            if key.data is None:
                self.read_stdin()
            elif key.fd in self.running:
                self.read_child(key.data)
        now = time.monotonic()
        for child in [c for c in self.running.values() if c.deadline <= now]:
            self.end(child, "timeout")

    def run(self) -> int:
        os.set_blocking(_STDIN, False)
        self.selector.register(_STDIN, selectors.EVENT_READ, None)
        # Serve until stdin closes, then finish what was asked for.
        while self.stdin_open or self.queue or self.running:
            self.step()
        return 0


def serve(slots: int, isolation: str = "full") -> int:
    single_threaded_math()
    out = reserve_stdout()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    began = time.perf_counter()
    validate = warm_up()
    mode = probe.configure(isolation)
    network: sandbox.Network = "isolated" if mode.os_boundary else _probe_network()
    if not mode.os_boundary:
        logging.getLogger("gentrade_engine").warning(
            "strategy code runs without the OS sandbox (%s); pasted code must be refused", mode.reason
        )
    emit(
        out,
        {
            "event": "ready",
            "pid": os.getpid(),
            "slots": slots,
            "network": network,
            "validate": validate,
            "sandbox": probe.describe(mode),
            "warmup_ms": round((time.perf_counter() - began) * 1000),
        },
    )
    try:
        return _Server(out, slots, network).run()
    except BrokenPipeError:
        return 0  # the client went away
