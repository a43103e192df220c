# validate: every snippet in tests/hostile/ (written by us) is rejected with the rule
# its header names. Static rejections must happen before any of the code runs: the
# snippets marked `# marker: yes` create a marker file when Python imports them, those
# marked `# marker: method` when their populate_indicators runs (both checked by running
# them directly), and the marker must not exist after validate. Runtime rules (cpu-limit,
# memory-limit, timeout) are stopped by the engine's limits, given per request, in a warm
# server's child and in the one-shot command's child. Speed is bench/engine-validate.ts's
# business; these tests assert behaviour only.

from __future__ import annotations

import os
import runpy
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gentrade_engine.policy import check_source
from tests.support import scratch
from tests.validate_support import (
    RUNTIME_RULES,
    Snippet,
    hostile_snippets,
    run_forked,
    start_engine,
    stop_engine,
    validate,
    validate_cli,
    validate_in_process,
)

# The stage each runtime snippet is stopped in (the rest loop in populate_indicators: smoke).
_RUNTIME_STAGE = {"init_spin.py": "load"}


def _marks_in_method(snippet: Snippet) -> bool:
    return b"# marker: method" in snippet.path.read_bytes()


def _run_populate_forked(script: Path, cwd: Path) -> int:
    """Import the snippet and call its strategy's populate_indicators on a tiny frame, in a
    child forked from this process (Freqtrade imported here once); the child's wait status."""
    import freqtrade.strategy  # noqa: F401 - imported before the fork, so each child starts warm
    import pandas as pd

    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.chdir(cwd)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            strategy_class = runpy.run_path(str(script), run_name="hostile")["Hostile"]
            strategy = strategy_class.__new__(strategy_class)
            frame = pd.DataFrame({"close": [1.0, 2.0, 3.0], "volume": [1.0, 1.0, 1.0]})
            strategy.populate_indicators(frame, {"pair": "BTC/USDT"})
            status = 0
        finally:
            os._exit(status)
    return os.waitpid(pid, 0)[1]


def setUpModule() -> None:
    start_engine()


def tearDownModule() -> None:
    stop_engine()


class HostileCorpusTest(unittest.TestCase):
    def test_corpus_is_large_and_every_file_names_a_rule(self) -> None:
        snippets = hostile_snippets()
        self.assertGreaterEqual(len(snippets), 92)
        self.assertGreaterEqual(len({s.rule for s in snippets}), 20)

    def test_static_snippets_are_rejected_before_running(self) -> None:
        # Static rejections never reach a child; the marker snippets go through the warm server.
        for snippet in [s for s in hostile_snippets() if s.rule not in RUNTIME_RULES]:
            with self.subTest(snippet=snippet.path.name):
                folder = scratch(f"hostile-{snippet.path.stem}")
                marker = folder / "marker"
                staged = snippet.staged(folder, marker)
                acts = snippet.writes_marker or _marks_in_method(snippet)
                reply = validate(staged) if acts else validate_in_process(staged)
                self.assertTrue(reply["ok"], reply)
                self.assertFalse(reply["accepted"], reply)
                self.assertEqual(reply["stage"], "static")
                rules = [v["rule"] for v in reply["violations"]]
                self.assertIn(snippet.rule, rules)
                for violation in reply["violations"]:
                    self.assertEqual(set(violation), {"stage", "rule", "line", "message"})
                    self.assertGreaterEqual(violation["line"], 1)
                lines = [v["line"] for v in reply["violations"]]
                self.assertEqual(lines, sorted(lines))
                self.assertFalse(marker.exists(), "the snippet ran during validation")

    def test_marker_snippets_really_write_the_marker_when_executed(self) -> None:
        # Proves the previous test could fail: run outside the pipeline, they do act.
        # Each runs in a child forked from this process once Freqtrade is imported here.
        marking = [s for s in hostile_snippets() if s.writes_marker]
        self.assertGreaterEqual(len(marking), 6)
        for snippet in marking:
            with self.subTest(snippet=snippet.path.name):
                folder = scratch(f"control-{snippet.path.stem}")
                marker = folder / "marker"
                staged = snippet.staged(folder, marker)
                run_forked(staged, folder)
                self.assertTrue(marker.exists(), f"{snippet.path.name} did not write its marker")

    def test_method_marker_snippets_really_act_when_populate_indicators_runs(self) -> None:
        # The reviewer's bypasses act inside populate_indicators, so the control calls it.
        marking = [s for s in hostile_snippets() if _marks_in_method(s)]
        self.assertGreaterEqual(len(marking), 10)
        for snippet in marking:
            with self.subTest(snippet=snippet.path.name):
                folder = scratch(f"method-control-{snippet.path.stem}")
                marker = folder / "marker"
                status = _run_populate_forked(snippet.staged(folder, marker), folder)
                self.assertTrue(
                    marker.exists(), f"{snippet.path.name} did not act (wait status {status})"
                )

    def test_oversized_file_is_rejected_unread(self) -> None:
        source = b"# padding\n" * 105_000
        self.assertEqual([v.rule for v in check_source(source)], ["file-too-large"])

    def _assert_stopped(self, snippet: Snippet, reply: dict[str, Any]) -> None:
        self.assertEqual(check_source(snippet.path.read_bytes()), [])
        self.assertTrue(reply["ok"], reply)
        self.assertFalse(reply["accepted"], reply)
        self.assertEqual([v["rule"] for v in reply["violations"]], [snippet.rule], reply)
        self.assertEqual(reply["stage"], _RUNTIME_STAGE.get(snippet.path.name, "smoke"), reply)
        self.assertIsNone(reply["violations"][0]["line"])

    def test_runtime_snippets_are_stopped_by_their_own_limits_in_the_warm_server(self) -> None:
        runtime = [s for s in hostile_snippets() if s.rule in RUNTIME_RULES]
        self.assertGreaterEqual(len({s.rule for s in runtime}), 3)

        # Two at a time: the server has two slots, the machine two cores.
        with ThreadPoolExecutor(max_workers=2) as pool:
            replies = list(pool.map(lambda s: validate(s.path, limits=s.limits), runtime))
        for snippet, reply in zip(runtime, replies, strict=True):
            with self.subTest(snippet=snippet.path.name):
                self._assert_stopped(snippet, reply)

    def test_one_shot_command_stops_a_loop_and_rejects_before_running(self) -> None:
        # The CLI path: a fresh interpreter forks the same sandboxed child as the server.
        spin = next(s for s in hostile_snippets() if s.path.name == "infinite_loop.py")
        marking = next(s for s in hostile_snippets() if s.writes_marker)
        folder = scratch("one-shot")
        marker = folder / "marker"
        with ThreadPoolExecutor(max_workers=2) as pool:
            spun = pool.submit(validate_cli, spin.path, limits=spin.limits)
            static = pool.submit(validate_cli, marking.staged(folder, marker)).result()
            spin_reply = spun.result()
        self._assert_stopped(spin, spin_reply)
        self.assertEqual(spin_reply["_returncode"], 0)
        self.assertEqual((static["stage"], static["_returncode"]), ("static", 0), static)
        self.assertIn(marking.rule, [v["rule"] for v in static["violations"]])
        self.assertFalse(marker.exists(), "the snippet ran during validation")


if __name__ == "__main__":
    unittest.main()
