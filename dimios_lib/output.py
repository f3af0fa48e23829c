"""Writing result tables: atomically, in international or Swedish CSV."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def write_csv(frame: pd.DataFrame, path: str | Path, *, swedish: bool = False,
              decimals: int = 3) -> Path:
    """Write a table as CSV, atomically (temporary file, then rename).

    International (default): comma separator, decimal point, UTF-8. Swedish (``swedish=True``,
    for Excel with Swedish settings): semicolon separator, decimal comma, UTF-8 with BOM.
    Floats are rounded to ``decimals`` places; codes stay text with their leading zeros.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(decimals)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        out.to_csv(tmp, index=False, sep=";" if swedish else ",",
                   decimal="," if swedish else ".",
                   encoding="utf-8-sig" if swedish else "utf-8", lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
