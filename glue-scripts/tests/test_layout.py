"""The window's stream inputs (arrival-hour partitions plus late-written objects no earlier window read)."""
import datetime as dt

from dataflow_glue.layout import stage_manifest_key, stream_folders, stream_inputs

T = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)


def test_stream_folders_cover_the_window_hour_and_the_late_hours_before_it():
    assert stream_folders(["a", "b"], T, 1) == [
        "stream/a/dt=2026-06-01/hr=10/", "stream/b/dt=2026-06-01/hr=10/", "stream/a/dt=2026-06-01/hr=09/", "stream/b/dt=2026-06-01/hr=09/",
    ]


def test_own_hour_is_read_whole_earlier_hours_only_what_no_earlier_window_read():
    listed = {
        "stream/a/dt=2026-06-01/hr=10/": ["stream/a/dt=2026-06-01/hr=10/x", "stream/a/dt=2026-06-01/hr=10/y"],
        "stream/a/dt=2026-06-01/hr=09/": ["stream/a/dt=2026-06-01/hr=09/read", "stream/a/dt=2026-06-01/hr=09/late"],
    }
    consumed = ["stream/a/dt=2026-06-01/hr=09/read", "stream/a/dt=2026-06-01/hr=10/x"]
    assert stream_inputs(T, 1, listed, consumed) == [
        "stream/a/dt=2026-06-01/hr=09/late", "stream/a/dt=2026-06-01/hr=10/x", "stream/a/dt=2026-06-01/hr=10/y",
    ]


def test_manifest_keys():
    assert stage_manifest_key("quality", "orders", T) == "oltp/orders/dt=2026-06-01/hr=10/orders.manifest.json"
    assert stage_manifest_key("conform", "conform", T) == "manifests/conform/dt=2026-06-01/hr=10/summary.json"
