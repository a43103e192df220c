# The limits around the OS boundary: CPU spins inside C, memory the address-space limit would not
# count, a reply channel flooded, runs sharing a uid, and what a run leaves in its results folder.
# As in test_escapes.py, strategies skip the static stage unless a test says otherwise.

from __future__ import annotations

import os
import textwrap
import time
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.escape_support import PLAIN_SPIN, TEMPLATE, WithEngines, looted
from tests.support import backtest_request, scratch
from tests.validate_support import validate_request


class SpinTest(WithEngines):
    """No control: the limits apply in every mode; the test shows the stop comes in seconds."""


    def test_a_spin_inside_sqlite_is_stopped_by_the_cpu_limit(self) -> None:
        body = """
            import sqlite3
            sqlite3.connect(":memory:").execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
            ).fetchall()
        """
        folder = scratch(f"spin-{uuid.uuid4().hex[:6]}")
        source = TEMPLATE.format(loot=str(folder), body=textwrap.indent(textwrap.dedent(body), "    "))
        (folder / "spin.py").write_text(source, encoding="utf-8")
        request = backtest_request(
            folder / "results", strategy_path=str(folder / "spin.py"), strategy_class="Escape"
        )
        began = time.monotonic()
        limits = {"cpu_seconds": 5, "memory_mb": 3072, "timeout_seconds": 120}
        reply = self.pair.engines["os"].request("backtest", request, limits=limits, timeout=240)
        self.assertEqual((reply["ok"], reply.get("rule")), (False, "cpu-limit"), reply)
        self.assertLess(time.monotonic() - began, 60)

    def test_a_validation_spinning_inside_c_is_stopped_in_seconds(self) -> None:
        # Past the static stage (math is allowed), then minutes of big-integer work in C: the
        # validation's own default budget, not a backtest's, is what stops it.
        source = PLAIN_SPIN
        folder = scratch(f"vspin-{uuid.uuid4().hex[:6]}")
        (folder / "spin.py").write_text(source, encoding="utf-8")
        began = time.monotonic()
        reply = self.pair.engines["os"].request("validate", validate_request(folder / "spin.py"), timeout=240)
        elapsed = time.monotonic() - began
        rules = [v["rule"] for v in reply.get("violations", [])]
        # 20 CPU seconds, or the 60 s wall clock on a machine too loaded to give them in time. The
        # factorial's number grows as it spins, so on some machines the 3 GB memory limit comes first:
        # any of the three is the boundary stopping it.
        self.assertEqual(reply.get("accepted"), False, reply)
        self.assertIn(rules, (["cpu-limit"], ["timeout"], ["memory-limit"]), reply)
        self.assertLess(elapsed, 90)


class LeftoversTest(WithEngines):

    def test_memory_outside_the_address_space_limit_is_refused(self) -> None:
        body = """
            try:
                fd = os.memfd_create("hoard")
                os.ftruncate(fd, 1 << 20)
                loot("found.txt", "memfd-made")
            except OSError as err:
                loot("error.txt", repr(err))
        """
        outcome = {mode: self.pair.run(mode, body) for mode in ("os", "off")}
        self.assertNotIn("memfd-made", looted(outcome["os"][1]))
        self.assertIn("memfd-made", looted(outcome["off"][1]), "control: memfd refused")

    def test_concurrent_runs_have_uids_of_their_own(self) -> None:
        body = """
            import time
            loot("uid.txt", os.getuid())
            time.sleep(2)
        """
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = list(pool.map(lambda _: self.pair.run("os", body), range(2)))
        uids = {looted(results).strip() for _, results in runs}
        self.assertEqual(len(uids), 2, uids)
        self.assertNotIn("0", uids)

    def test_a_flooded_reply_channel_stops_the_run(self) -> None:
        body = """
            import stat
            for fd in range(3, 64):
                try:
                    if stat.S_ISFIFO(os.fstat(fd).st_mode):
                        for _ in range(100):
                            os.write(fd, b"x" * (1 << 20))
                except OSError:
                    pass
        """
        reply, _ = self.pair.run("os", body)
        self.assertEqual((reply["ok"], reply.get("rule")), (False, "output-limit"), reply)

    def test_what_a_run_leaves_is_made_plain(self) -> None:
        body = """
            import stat
            os.symlink("/etc/passwd", os.path.join(LOOT, "link.txt"))
            os.mkfifo(os.path.join(LOOT, "pipe"))
            with open(os.path.join(LOOT, "setuid.bin"), "w") as handle:
                handle.write("x")
            os.chmod(os.path.join(LOOT, "setuid.bin"), 0o4777)
            os.chmod(LOOT, 0o777)
        """
        reply, results = self.pair.run("os", body)
        self.assertTrue(reply["ok"], reply)
        names = sorted(p.name for p in results.iterdir())
        self.assertNotIn("link.txt", names)
        self.assertNotIn("pipe", names)
        self.assertEqual((results / "setuid.bin").stat().st_mode & 0o7777, 0o644)
        self.assertEqual(results.stat().st_uid, os.getuid())
        self.assertEqual(results.stat().st_mode & 0o777, 0o755)


if __name__ == "__main__":
    unittest.main()
