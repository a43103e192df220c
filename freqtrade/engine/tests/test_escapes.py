# The OS boundary, attacked. Each attack is a strategy that skips the static stage (it goes
# straight to the warm server's `backtest` command, which never runs the policy) and tries one
# escape, leaving a marker or copying a secret into its own results folder if it gets through.
# Every attack runs twice: on a server with the OS boundary alone (`--isolation os`: no Python
# audit hooks), where the marker must be absent, and on a server with no isolation at all
# (`--isolation off`), where the marker must be present. The second run is the control: it shows
# the test would fail if the isolation were switched off.

from __future__ import annotations

import base64
import os
import pwd
import shutil
import socket
import subprocess
import sys
import threading
import time
import unittest
import uuid
from pathlib import Path
from typing import Any

from tests.escape_support import NATIVE_C, SECRET, WithEngines, looted
from tests.support import ENGINE_DIR, small_dataset


class EscapeTest(WithEngines):
    """Each attack, as the user the tests run as (root on CI: the run gets a uid of its own)."""


    def folder(self, name: str) -> Path:
        return self.pair.folder(name)

    def both(self, body: str, results: Path | None = None) -> dict[str, tuple[dict[str, Any], Path]]:
        outcome = {mode: self.pair.run(mode, body, results and results / mode) for mode in ("os", "off")}
        for mode, (reply, _) in outcome.items():
            self.assertTrue(reply["ok"], f"{mode}: {reply}")
        return outcome

    def test_sqlite_attach_and_init_db_cannot_create_files_outside_the_run(self) -> None:
        for mode in ("os", "off"):
            outside = self.folder(f"outside-{mode}")
            body = f"""
                import sqlite3
                try:
                    con = sqlite3.connect(":memory:")
                    con.execute("ATTACH DATABASE '{outside}/attached.db' AS x")
                    con.execute("CREATE TABLE x.t (a)")
                    con.commit()
                except Exception as err:
                    loot("error.txt", repr(err))
                from freqtrade.persistence import init_db
                init_db("sqlite:///{outside}/init_db.sqlite")
            """
            reply, _ = self.pair.run(mode, body)
            self.assertTrue(reply["ok"], reply)
            made = sorted(p.name for p in outside.iterdir())
            if mode == "os":
                self.assertEqual(made, [], "the run created files outside its folders")
            else:
                self.assertIn("attached.db", made, "control: ATTACH failed")
                self.assertIn("init_db.sqlite", made, "control: init_db failed")

    def test_app_data_cache_and_other_processes_are_unreadable(self) -> None:
        data = self.folder("appdata")
        (data / "ferretdb").mkdir()
        database = data / "ferretdb" / "gentrade.sqlite"
        database.write_text(f"strategies of every user {SECRET}", encoding="utf-8")
        cache_canary = Path(sys.prefix).parent / f"gentrade-canary-{uuid.uuid4().hex}.txt"
        cache_canary.write_text(SECRET, encoding="utf-8")
        try:
            body = f"""
                import sqlite3
                for path in ({str(database)!r}, {str(cache_canary)!r}):
                    try:
                        loot("found.txt", open(path).read())
                    except OSError as err:
                        loot("error.txt", repr(err))
                try:
                    con = sqlite3.connect(":memory:")
                    con.execute("ATTACH DATABASE '{database}' AS app")
                    loot("found.txt", con.execute("SELECT name FROM app.sqlite_master").fetchall())
                except Exception as err:
                    loot("error.txt", repr(err))
                for pid in filter(str.isdigit, os.listdir("/proc")):
                    try:
                        loot("found.txt", open(f"/proc/{{pid}}/environ", "rb").read())
                    except OSError:
                        pass
            """
            outcome = self.both(body)
        finally:
            cache_canary.unlink()
        self.assertNotIn(SECRET, looted(outcome["os"][1]))
        self.assertNotIn(SECRET, str(outcome["os"][0]))
        off = looted(outcome["off"][1])
        self.assertIn(f"strategies of every user {SECRET}", off, "control: data not read")
        self.assertIn(f"GENTRADE_TEST_CANARY={SECRET}", off, "control: environ not read")

    def test_another_runs_results_cannot_be_read_or_written(self) -> None:
        # The other backtest sits next to this one in the results root, the server's own folder.
        for mode in ("os", "off"):
            other = self.pair.runs / f"other-{mode}"
            other.mkdir()
            other.chmod(0o777)  # the control runs as whichever user the engine is
            (other / "result.json").write_text(f'{{"profit": 1, "secret": "{SECRET}"}}', "utf-8")
            (other / "result.json").chmod(0o666)
            body = f"""
                import sqlite3
                try:
                    loot("found.txt", open({str(other / "result.json")!r}).read())
                    open({str(other / "result.json")!r}, "w").write('{{"profit": 1000}}')
                except OSError as err:
                    loot("error.txt", repr(err))
                con = sqlite3.connect(":memory:")
                con.execute("ATTACH DATABASE '{other}/planted.db' AS x")
                con.execute("CREATE TABLE x.t (a)")
            """
            reply, results = self.pair.run(mode, body)
            self.assertTrue(reply["ok"], reply)
            written = (other / "result.json").read_text(encoding="utf-8")
            planted = (other / "planted.db").exists()
            if mode == "os":
                self.assertEqual((SECRET in written, planted), (True, False))
                self.assertNotIn(SECRET, looted(results))
            else:
                self.assertEqual((written, planted), ('{"profit": 1000}', True), "control")
                self.assertIn(SECRET, looted(results), "control")

    def test_descriptors_the_server_holds_lead_nowhere(self) -> None:
        # A descriptor on a folder outside the view would be followed by openat and by
        # /proc/self/fd/N wherever it points.
        body = """
            for fd in range(3, 1024):
                try:
                    names = os.listdir(fd)
                except OSError:
                    continue
                loot("found.txt", names)
                for name in names:
                    try:
                        loot("found.txt", open(f"/proc/self/fd/{fd}/{name}").read())
                    except OSError as err:
                        loot("error.txt", repr(err))
        """
        outcome = self.both(body)
        self.assertNotIn(SECRET, looted(outcome["os"][1]))
        self.assertIn(SECRET, looted(outcome["off"][1]), "control: the held folder was not read")

    def test_native_code_cannot_be_loaded(self) -> None:
        compiler = shutil.which("gcc") or shutil.which("cc")
        if compiler is None:
            self.skipTest("no C compiler to build the library")
        build = self.folder("native")
        (build / "evil.c").write_text(NATIVE_C, encoding="utf-8")
        library = build / "evil.so"
        subprocess.run([compiler, "-shared", "-fPIC", "-o", str(library), str(build / "evil.c")], check=True)
        blob = base64.b64encode(library.read_bytes()).decode("ascii")
        body = f"""
            import base64
            import ctypes
            import sqlite3
            os.environ["GENTRADE_ESCAPE_MARK"] = os.path.join(LOOT, "native-loaded.txt")
            copy = os.path.join(os.getcwd(), "evil.so")
            with open(copy, "wb") as handle:
                handle.write(base64.b64decode({blob!r}))
            os.chmod(copy, 0o755)
            for path in ({str(library)!r}, copy):
                try:
                    ctypes.CDLL(path)
                except OSError as err:
                    loot("error.txt", repr(err))
            con = sqlite3.connect(":memory:")
            if hasattr(con, "enable_load_extension"):
                try:
                    con.enable_load_extension(True)
                    con.load_extension({str(library)!r})
                except Exception as err:
                    loot("error.txt", repr(err))
        """
        outcome = self.both(body)
        self.assertFalse((outcome["os"][1] / "native-loaded.txt").exists(), looted(outcome["os"][1]))
        self.assertTrue((outcome["off"][1] / "native-loaded.txt").exists(), "control: not loaded")

    def test_no_sockets_reach_anything(self) -> None:
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        unix_dir = self.folder("unix")
        unix_path = unix_dir / "app.sock"
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.bind(str(unix_path))
        unix_path.chmod(0o777)
        unix.listen()
        received: list[bytes] = []

        def accept(server: socket.socket) -> None:
            server.settimeout(1.0)
            while not stop.is_set():
                try:
                    conn, _ = server.accept()
                except OSError:
                    continue
                with conn:
                    received.append(conn.recv(1024))

        stop = threading.Event()
        threads = [threading.Thread(target=accept, args=(s,), daemon=True) for s in (listener, unix)]
        for thread in threads:
            thread.start()
        # IP through libc itself (the engine's own Python network guard never sees it), a Unix
        # socket through Python's socket module.
        body = f"""
            import ctypes
            import socket
            import struct
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
            address = struct.pack("=H", socket.AF_INET) + struct.pack("!H", {port})
            address += socket.inet_aton("127.0.0.1") + bytes(8)
            if fd < 0 or libc.connect(fd, address, len(address)) != 0:
                loot("error.txt", f"ip: errno {{ctypes.get_errno()}}")
            else:
                libc.send(fd, b"escaped-ip", 10, 0)
                libc.close(fd)
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(2)
                    s.connect({str(unix_path)!r})
                    s.sendall(b"escaped-unix")
            except OSError as err:
                loot("error.txt", repr(err))
        """
        try:
            reply, results = self.pair.run("os", body)
            self.assertTrue(reply["ok"], reply)
            time.sleep(0.3)
            self.assertEqual(received, [], looted(results))
            reply, _ = self.pair.run("off", body)
            self.assertTrue(reply["ok"], reply)
            deadline = time.monotonic() + 5
            while len(received) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertEqual(len(received), 2, "control: the connections did not arrive")
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=3)
            listener.close()
            unix.close()

    def test_no_new_processes(self) -> None:
        body = """
            import _posixsubprocess
            mark = os.path.join(LOOT, "forked.txt")
            try:
                pid = os.fork()
                if pid == 0:
                    with open(mark, "a") as handle:
                        handle.write("fork\\n")
                    os._exit(0)
                os.waitpid(pid, 0)
            except OSError as err:
                loot("error.txt", repr(err))
            try:
                r, w = os.pipe()
                pid = _posixsubprocess.fork_exec(
                    [b"/bin/sh", b"-c", f"echo spawn >> {mark}".encode()], [b"/bin/sh"], True, (w,),
                    None, [b"PATH=/usr/bin:/bin"], -1, -1, -1, -1, -1, -1, r, w, True, False, -1,
                    None, None, None, -1, None, False,
                )
                os.waitpid(pid, 0)
            except OSError as err:
                loot("error.txt", repr(err))
        """
        outcome = self.both(body)
        self.assertFalse((outcome["os"][1] / "forked.txt").exists(), looted(outcome["os"][1]))
        control = (outcome["off"][1] / "forked.txt").read_text(encoding="utf-8")
        self.assertEqual(control.split(), ["fork", "spawn"], "control: no process started")

    def test_the_view_is_narrow(self) -> None:
        home = Path(pwd.getpwuid(os.getuid()).pw_dir)
        body = f"""
            loot("facts.txt", f"uid={{os.getuid()}} pid={{os.getpid()}}")
            status = open("/proc/self/status").read()
            loot("facts.txt", [line for line in status.splitlines() if line.startswith(("NoNewPrivs", "Seccomp:", "CapEff"))])
            loot("facts.txt", f"home={{sorted(os.listdir({str(home)!r}))}}")
            loot("facts.txt", f"net={{open('/proc/net/dev').read().split()}}")
            try:
                open("/usr/gentrade-write-test", "w")
                loot("facts.txt", "root-writable")
            except OSError:
                pass
        """
        reply, results = self.pair.run("os", body)
        self.assertTrue(reply["ok"], reply)
        facts = looted(results)
        self.assertNotIn("uid=0 ", facts)
        self.assertIn("pid=1", facts)
        for line in ("NoNewPrivs:\\t1", "Seccomp:\\t2", "CapEff:\\t0000000000000000"):
            self.assertIn(line, facts)
        self.assertNotIn("eth0", facts)
        self.assertNotIn("root-writable", facts)
        # Of the home folder, only the ways to what the run needs (Python, the venv) are there.
        needed = {sys.prefix, sys.base_prefix, str(ENGINE_DIR), str(small_dataset())}
        ways = {Path(p).relative_to(home).parts[0] for p in needed if Path(p).is_relative_to(home)}
        shown = facts.split("home=")[1].split("\n")[0]
        self.assertEqual(shown, str(sorted(ways)))


if __name__ == "__main__":
    unittest.main()
