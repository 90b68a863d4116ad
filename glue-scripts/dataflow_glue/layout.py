"""The lake key layout (lambda/shared/lake-keys.ts) for the Glue outputs: <source>/<entity>/dt=YYYY-MM-DD/hr=HH/."""
from __future__ import annotations

import datetime as dt


def parse_window_start(text: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.utcoffset() != dt.timedelta(0) or t.minute or t.second or t.microsecond:
        raise ValueError(f"--window_start must be a whole UTC hour such as 2026-06-01T10:00:00Z (got {text})")
    return t


def partition(source: str, entity: str, start: dt.datetime) -> str:
    return f"{source}/{entity}/dt={start:%Y-%m-%d}/hr={start:%H}/"
