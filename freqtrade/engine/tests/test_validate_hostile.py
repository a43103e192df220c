# validate: every snippet in tests/hostile/ (written by us) is rejected with the rule
# its header names. Static rejections must happen before any of the code runs: the
# snippets marked `# marker: yes` create a marker file when Python executes them
# (checked by running them directly), and the marker must not exist after validate.
# Runtime rules (cpu-limit, memory-limit, timeout) are stopped by the engine's limits.

from __future__ import annotations

import subprocess
import sys
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.support import scratch
from tests.validate_support import (
    RUNTIME_RULES,
    Snippet,
    hostile_snippets,
    prepare_data,
    validate,
    validate_in_process,
)

from gentrade_engine.policy import check_source


class HostileCorpusTest(unittest.TestCase):
    def test_corpus_is_large_and_every_file_names_a_rule(self) -> None:
        snippets = hostile_snippets()
        self.assertGreaterEqual(len(snippets), 45)
        self.assertGreaterEqual(len({s.rule for s in snippets}), 20)

    def test_static_snippets_are_rejected_before_running(self) -> None:
        # In-process (as the warm server calls it); the marker snippets also via the CLI.
        for snippet in [s for s in hostile_snippets() if s.rule not in RUNTIME_RULES]:
            with self.subTest(snippet=snippet.path.name):
                folder = scratch(f"hostile-{snippet.path.stem}")
                marker = folder / "marker"
                staged = snippet.staged(folder, marker)
                reply = validate(staged) if snippet.writes_marker else validate_in_process(staged)
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
        marking = [s for s in hostile_snippets() if s.writes_marker]
        self.assertGreaterEqual(len(marking), 6)
        for snippet in marking:
            with self.subTest(snippet=snippet.path.name):
                folder = scratch(f"control-{snippet.path.stem}")
                marker = folder / "marker"
                staged = snippet.staged(folder, marker)
                subprocess.run([sys.executable, str(staged)], cwd=folder, capture_output=True, timeout=60, check=False)
                self.assertTrue(marker.exists(), f"{snippet.path.name} did not write its marker")

    def test_static_check_is_fast(self) -> None:
        snippets = [s for s in hostile_snippets() if s.rule not in RUNTIME_RULES]
        began = time.perf_counter()
        for snippet in snippets:
            self.assertTrue(check_source(snippet.path.read_bytes()))
        per_file_ms = (time.perf_counter() - began) * 1000 / len(snippets)
        self.assertLess(per_file_ms, 50)

    def test_oversized_file_is_rejected_unread(self) -> None:
        source = b"# padding\n" * 21_000
        self.assertEqual([v.rule for v in check_source(source)], ["file-too-large"])

    def test_runtime_snippets_are_stopped_by_a_limit(self) -> None:
        runtime = [s for s in hostile_snippets() if s.rule in RUNTIME_RULES]

        def timed(snippet: Snippet) -> tuple[dict[str, Any], float]:
            began = time.perf_counter()
            return validate(snippet.path, limits=snippet.limits), time.perf_counter() - began

        # Two at a time: each is its own engine process, and the machine has two cores.
        prepare_data()
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(timed, runtime))
        for snippet, (reply, elapsed) in zip(runtime, outcomes, strict=True):
            with self.subTest(snippet=snippet.path.name):
                self.assertEqual(check_source(snippet.path.read_bytes()), [])
                self.assertTrue(reply["ok"], reply)
                self.assertFalse(reply["accepted"], reply)
                self.assertEqual([v["rule"] for v in reply["violations"]], [snippet.rule], reply)
                self.assertIn(reply["stage"], ("load", "smoke"))
                self.assertLess(elapsed, snippet.limits.get("timeout_seconds", 180) + 15)


if __name__ == "__main__":
    unittest.main()
