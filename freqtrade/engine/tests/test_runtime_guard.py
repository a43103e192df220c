# The sandbox at run time, with the static policy skipped: hostile strategies go straight to a
# warm server's `backtest` command (which never runs the policy), so what stops them here is the
# child's runtime guard, its process group and the server's subreaper sweep, nothing else.

from __future__ import annotations

import os
import textwrap
import time
import unittest
import uuid
from pathlib import Path
from typing import Any

from tests.support import backtest_request, scratch
from tests.warm_engine import WarmEngine

_ENGINE: WarmEngine | None = None

_STRATEGY = '''
import os
import sys
from freqtrade.strategy import IStrategy
from pandas import DataFrame


class Hostile(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1h"
    minimal_roi = {{"0": 100.0}}
    stoploss = -0.10

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
{body}
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        return dataframe
'''

# A grandchild the audit hook never sees: _posixsubprocess starts it without an audit event.
_UNAUDITED_SPAWN = """
        import _posixsubprocess
        r, w = os.pipe()
        try:
            _posixsubprocess.fork_exec(
                [b"/bin/sh", b"-c", b"sleep 120; sleep 120"], [b"/bin/sh"], True, (w,), None,
                [b"PATH=/usr/bin:/bin", b"GENTRADE_MARK={marker}"],
                -1, -1, -1, -1, -1, -1, r, w, True, {setsid}, -1, None, None, None, -1, None, False,
            )
        except OSError:
            pass  # RLIMIT_NPROC refuses it outside root: nothing to clean up then
        time.sleep(0.5)
"""


def setUpModule() -> None:
    global _ENGINE
    _ENGINE = WarmEngine(slots=1)


def tearDownModule() -> None:
    if _ENGINE is not None:
        _ENGINE.close()


def _processes_with(marker: str) -> list[int]:
    """Processes carrying `marker` in their environment (inherited by their own children)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if f"GENTRADE_MARK={marker}".encode() in environ:
            found.append(int(pid))
    return found


def _gone(marker: str, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while _processes_with(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


class RuntimeGuardTest(unittest.TestCase):
    def run_hostile(self, body: str, results: Path | None = None) -> dict[str, Any]:
        assert _ENGINE is not None
        folder = scratch(f"hostile-{uuid.uuid4().hex[:8]}")
        lines = textwrap.dedent(body).strip("\n").splitlines()
        source = _STRATEGY.format(body="\n".join(f"        {line}" for line in lines))
        (folder / "hostile.py").write_text("import time\n" + source, encoding="utf-8")
        request = backtest_request(
            results or folder / "results",
            strategy_path=str(folder / "hostile.py"),
            strategy_class="Hostile",
            pairs=["BTC/USDT"],
        )
        return _ENGINE.request("backtest", request, timeout=240)

    def assert_refused(self, reply: dict[str, Any], what: str) -> None:
        self.assertFalse(reply["ok"], reply)
        self.assertIn("a strategy run may not", reply["message"])
        self.assertIn(what, reply["message"])

    def test_fork_setsid_execv_is_refused_and_nothing_survives(self) -> None:
        marker = f"gentrade-escape-{uuid.uuid4().hex}"
        body = (
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    os.setsid()\n"
            "    os.execve('/bin/sh', ['/bin/sh', '-c', 'sleep 120'],\n"
            f"              {{'GENTRADE_MARK': '{marker}'}})"
        )
        self.assert_refused(self.run_hostile(body), "os.fork")
        self.assertEqual(_processes_with(marker), [])

    def test_subprocess_and_system_are_refused(self) -> None:
        reply = self.run_hostile("import subprocess\nsubprocess.run(['true'])")
        self.assert_refused(reply, "subprocess")
        self.assert_refused(self.run_hostile("os.system('true')"), "os.system")

    def test_unaudited_grandchild_in_the_group_dies_with_the_run(self) -> None:
        marker = f"gentrade-group-{uuid.uuid4().hex}"
        reply = self.run_hostile(_UNAUDITED_SPAWN.format(marker=marker, setsid=False))
        self.assertTrue(reply["ok"], reply)
        self.assertTrue(_gone(marker), "a process the run started outlived it")

    def test_unaudited_grandchild_in_its_own_session_is_reaped(self) -> None:
        marker = f"gentrade-session-{uuid.uuid4().hex}"
        reply = self.run_hostile(_UNAUDITED_SPAWN.format(marker=marker, setsid=True))
        self.assertTrue(reply["ok"], reply)
        self.assertTrue(_gone(marker), "a process that left the group outlived the run")

    def test_writes_outside_the_run_are_refused(self) -> None:
        outside = Path("/tmp") / f"gentrade-outside-{uuid.uuid4().hex}"
        reply = self.run_hostile(f"open({str(outside)!r}, 'w').write('x')")
        self.assert_refused(reply, f"write to {outside}")
        self.assertFalse(outside.exists())
        reply = self.run_hostile(f"os.mkdir({str(outside)!r})")
        self.assert_refused(reply, "os.mkdir")
        self.assertFalse(outside.exists())

    def test_writes_inside_the_run_still_work(self) -> None:
        folder = scratch(f"own-{uuid.uuid4().hex[:8]}")
        note = folder / "results" / "note.txt"
        reply = self.run_hostile(f"open({str(note)!r}, 'w').write('mine')", folder / "results")
        self.assertTrue(reply["ok"], reply)
        self.assertEqual(note.read_text(encoding="utf-8"), "mine")

    def test_another_runs_folder_is_not_readable(self) -> None:
        runs = scratch(f"runs-{uuid.uuid4().hex[:8]}")
        secret = runs / "other-run" / "strategy.py"
        secret.parent.mkdir()
        secret.write_text("SECRET = 1\n", encoding="utf-8")
        reply = self.run_hostile(f"open({str(secret)!r}).read()", runs / "this-run")
        self.assert_refused(reply, "another run's folder")
        reply = self.run_hostile(f"os.listdir({str(runs)!r})", runs / "this-run")
        self.assert_refused(reply, "another run's folder")

    def test_the_reply_pipe_cannot_be_reopened_for_a_forged_verdict(self) -> None:
        body = (
            "import stat\n"
            "for fd in range(3, 64):\n"
            "    try:\n"
            "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
            "            forged = '{\"ok\": true, \"forged\": 1}\\n'\n"
            "            os.fdopen(fd, 'w', closefd=False).write(forged)\n"
            "    except OSError as err:\n"
            "        if 'may not' in str(err):\n"
            "            raise"
        )
        reply = self.run_hostile(body)
        self.assert_refused(reply, "write to descriptor")
        self.assertNotIn("forged", reply)

    def test_native_code_frames_and_signals_are_refused(self) -> None:
        self.assert_refused(self.run_hostile("import ctypes\nctypes.CDLL(None)"), "ctypes")
        self.assert_refused(self.run_hostile("sys._getframe(1).f_globals"), "sys._getframe")
        self.assert_refused(self.run_hostile("os.kill(os.getppid(), 0)"), "signal another process")
        self.assert_refused(self.run_hostile("os.chdir('/')"), "os.chdir")


if __name__ == "__main__":
    unittest.main()
