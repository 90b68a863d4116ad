"""The lake key layout (lambda/contracts/lake-keys.ts, lambda/contracts/stage-manifest.ts) for the Glue jobs:
<source>/<entity>/dt=YYYY-MM-DD/hr=HH/<file>. test/batch/stage-manifest.test.ts checks these against the TypeScript."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence


def parse_window_start(text: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.utcoffset() != dt.timedelta(0) or t.minute or t.second or t.microsecond:
        raise ValueError(f"--window_start must be a whole UTC hour such as 2026-06-01T10:00:00Z (got {text})")
    return t


def partition(source: str, entity: str, start: dt.datetime) -> str:
    return f"{source}/{entity}/dt={start:%Y-%m-%d}/hr={start:%H}/"


def stage_manifest_key(stage: str, entity: str, start: dt.datetime) -> str:
    """Key of a stage's manifest: `oltp/<table>/dt=/hr=/<table>.manifest.json` (extract in raw, quality gate in staging)
    or the conform job's `manifests/conform/dt=/hr=/summary.json`."""
    if stage == "conform":
        return partition("manifests", "conform", start) + "summary.json"
    if stage not in ("extract", "quality"):
        raise ValueError(f"unknown stage {stage!r}")
    return partition("oltp", entity, start) + f"{entity}.manifest.json"


def manifest_keys(manifest: Mapping, zone: str) -> list[str]:
    """The keys a stage manifest lists in one zone."""
    return [f["key"] for f in manifest["files"] if f["zone"] == zone]


def stream_inputs(start: dt.datetime, late_hours: int, listed: Mapping[str, Sequence[str]], consumed: Iterable[str]) -> list[str]:
    """The stream objects a window reads (events are filed under their ARRIVAL hour):

    * every object of its own hour's partitions, and
    * every object of the `late_hours` earlier hours' partitions that no earlier window's summary lists as read
      (written after that hour's run, e.g. by a processor running behind).

    ``listed`` maps a partition folder (see :func:`stream_folders`) to the keys in it; ``consumed`` holds the keys the
    summaries of the `late_hours` windows before this one list. Sorted, no duplicates."""
    own = {f for f in listed if f"/dt={start:%Y-%m-%d}/hr={start:%H}/" in f}
    taken = set(consumed)
    out = set()
    for folder, keys in listed.items():
        out.update(k for k in keys if folder in own or k not in taken)
    return sorted(out)


def stream_folders(event_types: Sequence[str], start: dt.datetime, late_hours: int) -> list[str]:
    """The arrival-hour partitions a window looks at: its own hour and the `late_hours` before it."""
    hours = [start - dt.timedelta(hours=h) for h in range(late_hours + 1)]
    return [partition("stream", t, h) for h in hours for t in event_types]
