# The same attacks against an engine that runs as an ordinary user (uid 65534), where the sandbox
# must make its own user namespace instead of switching uid. Only root can start an engine as
# another user, so this runs when the tests run as root (as on CI); run as a user, test_escapes
# already is this test.
#
# The user could not reach the venv under root's home (0700), so the engine starts in a private
# mount namespace where root's home is an empty tmpfs holding only the Python installation and the
# bootstrap cache, which is how that user's own home would look. Everything the user is not
# meant to read stays out of reach the normal way: file permissions.

from __future__ import annotations

import os
import pwd
import shutil
import sys
import unittest
from pathlib import Path

from tests import test_escapes
from tests.escape_support import EnginePair
from tests.support import ENGINE_DIR, scratch, small_dataset

_NOBODY = "65534"
# Stage each kept folder elsewhere, hide the home under a tmpfs, move the folders back in place,
# then become the user. Arguments: the home, then the folders to keep, then "--", then the command.
_SCRIPT = r"""
set -eu
home="$1"; shift
stage=$(mktemp -d); kept=""
i=0
while [ "$1" != "--" ]; do
  mkdir -p "$stage/$i"; mount --bind "$1" "$stage/$i"; kept="$kept $1"; i=$((i+1)); shift
done
shift
mount -t tmpfs -o mode=755,size=1m tmpfs "$home"
i=0
for path in $kept; do
  mkdir -p "$path"; mount --move "$stage/$i" "$path"; i=$((i+1))
done
exec setpriv --reuid=NOBODY --regid=NOBODY --clear-groups --inh-caps=-all "$@"
""".replace("NOBODY", _NOBODY)


def _as_nobody() -> tuple[str, ...]:
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    needed = {Path(sys.base_prefix), Path(sys.prefix).parent}
    kept = sorted(str(p) for p in needed if p.is_relative_to(home))
    return ("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", _SCRIPT, "sh",
            str(home), *kept, "--")


class RootlessEscapeTest(test_escapes.EscapeTest):
    """Each attack, with the engine running as an unprivileged user."""

    @classmethod
    def setUpClass(cls) -> None:
        if os.geteuid() != 0:
            raise unittest.SkipTest("the tests already run as a user: test_escapes covers it")
        if not (shutil.which("unshare") and shutil.which("setpriv")):
            raise unittest.SkipTest("util-linux's unshare and setpriv are needed to switch user")
        # The user must read the test data and reach the test folders.
        Path(small_dataset()).parent.chmod(0o755)
        # Nor may the checkout be readable by others (a clone in a 0700 temporary folder): the user
        # runs a copy of the engine's package from the test folders.
        engine = scratch("engine")
        shutil.copytree(ENGINE_DIR / "gentrade_engine", engine / "gentrade_engine",
                        ignore=shutil.ignore_patterns("__pycache__"))
        cls.pair = EnginePair(prefix=_as_nobody(), shared=True, engine_dir=engine)


if __name__ == "__main__":
    unittest.main()
