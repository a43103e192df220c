# Reads back what Freqtrade stored: its export writes backtest-result-<time>.zip and
# points .last_result.json at it; the zip's main JSON member ("strategy",
# "strategy_comparison") is copied byte for byte, and the separate .meta.json
# ("metadata") beside the zip is kept next to it.

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from zipfile import ZipFile

RESULT_FILE = "result.json"
META_FILE = "result.meta.json"
_LAST_RESULT = ".last_result.json"  # Freqtrade's LAST_BT_RESULT_FN


@dataclass(frozen=True)
class StoredResult:
    result_path: Path
    zip_path: Path
    trades: int


def collect_result(export_dir: Path, results_dir: Path, strategy: str) -> StoredResult:
    latest = json.loads((export_dir / _LAST_RESULT).read_text(encoding="utf-8"))["latest_backtest"]
    zip_path = export_dir / latest
    with ZipFile(zip_path) as archive:
        content = archive.read(zip_path.with_suffix(".json").name)
    result_path = results_dir / RESULT_FILE
    result_path.write_bytes(content)

    meta = zip_path.with_name(f"{zip_path.stem}.meta.json")
    if meta.is_file():
        shutil.copyfile(meta, results_dir / META_FILE)

    trades = int(json.loads(content)["strategy"][strategy]["total_trades"])
    return StoredResult(result_path=result_path, zip_path=zip_path, trades=trades)
