"""The thin job entries end to end on a local staging folder (the same code path spark-submit runs)."""
import gzip
import json
import pathlib

import conform as conform_job
import customer_features as features_job
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
WINDOW = "2026-06-01T10:00:00Z"


def conform_args(tables: str, specs_json: str, stream_specs_json: str, staging_root: pathlib.Path, window_start: str = WINDOW) -> dict:
    """The conform job's arguments for one window of `tables` (stream events up to 3 hours late)."""
    return {
        "window_start": window_start,
        "tables": tables,
        "table_specs": specs_json,
        "stream_specs": stream_specs_json,
        "staging_root": str(staging_root),
        "stream_late_hours": "3",
    }


def features_args(specs_json: str, staging_root: pathlib.Path) -> dict:
    """The customer features job's arguments for 2026-06-01 with the project's customer rules."""
    return {
        "as_of_date": "2026-06-01",
        "table_specs": specs_json,
        "staging_root": str(staging_root),
        "rules_path": str(ROOT / "dbt" / "customer_rules.yml"),
    }


def page_view(occurred_at: str, arrival_time: str) -> dict:
    """A landed clickstream page view (event 9b2f6a3e-…-0001, shard s0, sequence 1)."""
    return {
        "event_id": "9b2f6a3e-0000-4000-8000-000000000001",
        "event_type": "page_view",
        "event_version": 1,
        "occurred_at": occurred_at,
        "source": "web",
        "session_id": "S0123456789ab",
        "customer_id": None,
        "url": "/",
        "_shard_id": "s0",
        "_sequence_number": "1",
        "_arrival_time": arrival_time,
    }


def land(root: pathlib.Path, table: str, rows: list[dict], hour: str = "10") -> None:
    """What a passing quality gate leaves: one part and, written last, its manifest listing it."""
    folder = root / "oltp" / table / "dt=2026-06-01" / f"hr={hour}"
    folder.mkdir(parents=True, exist_ok=True)
    key = f"oltp/{table}/dt=2026-06-01/hr={hour}/{table}-00000.ndjson.gz"
    (root / key).write_bytes(gzip.compress("\n".join(json.dumps(r) for r in rows).encode() + b"\n"))
    manifest = {"stage": "quality", "entity": table, "window": {"start": f"2026-06-01T{hour}:00:00.000Z", "end": ""}, "rows": len(rows),
                "files": [{"zone": "staging", "key": key, "rows": len(rows), "bytes": (root / key).stat().st_size}]}
    (folder / f"{table}.manifest.json").write_text(json.dumps(manifest))


def test_conform_then_customer_features(spark, specs_json, stream_specs_json, tmp_path):
    ts = "2026-06-01T10:05:00.000000Z"
    land(tmp_path, "customers", [
        {"customer_id": "C00000001", "email": "a@example.com", "first_name": "A", "last_name": "B", "registration_date": "2025-01-01",
         "last_login_date": None, "customer_segment": "basic", "updated_at": ts},
    ])
    land(
        tmp_path,
        "products",
        [{"product_id": "P000001", "name": "Novel", "category": "books", "price": "10.00", "cost": "4.00", "updated_at": ts}],
    )
    land(
        tmp_path,
        "orders",
        [
            {
                "order_id": "O0000000001",
                "customer_id": "C00000001",
                "order_ts": "2026-05-31T08:00:00.000000Z",
                "status": "paid",
                "currency": "EUR",
                "updated_at": ts,
            },
            {
                "order_id": "O0000000001",
                "customer_id": "C00000001",
                "order_ts": "2026-05-31T08:00:00.000000Z",
                "status": "placed",
                "currency": "EUR",
                "updated_at": "2026-06-01T09:55:00.000000Z",
            },
        ],
    )
    land(
        tmp_path,
        "order_items",
        [{"order_id": "O0000000001", "line_no": 1, "product_id": "P000001", "quantity": 3, "unit_price": "10.10", "updated_at": ts}],
    )
    events = tmp_path / "stream" / "page_view" / "dt=2026-06-01" / "hr=10"
    events.mkdir(parents=True)
    ev = page_view("2026-06-01T10:01:00Z", "2026-06-01T10:01:01Z")
    (events / "s0-1-2.ndjson").write_text(json.dumps(ev) + "\n" + json.dumps({**ev, "_sequence_number": "2"}) + "\n")

    args = conform_args("customers,products,orders,order_items", specs_json, stream_specs_json, tmp_path)
    summary = conform_job.run(spark, args)["datasets"]
    assert {k: v["rows"] for k, v in summary.items()} == {
        "customers": 1,
        "products": 1,
        "orders": 1,
        "order_items": 1,
        "clickstream_events": 1,
    }
    manifest = json.loads((tmp_path / "manifests/orders/dt=2026-06-01/hr=10/manifest.json").read_text())
    assert len(manifest["entries"]) == 1
    assert manifest["entries"][0]["meta"]["content_length"] > 0
    table = pq.ParquetFile(manifest["entries"][0]["url"].replace("file:", "")).read()
    assert table.column_names == [c["name"] for c in json.loads(specs_json)["orders"]["columns"]]
    assert table.column("status").to_pylist() == ["paid"]
    assert str(table.schema.field("updated_at").type) == "timestamp[us]"

    # rerun of the same window: same result, no duplicate files
    strip = lambda s: {k: {f: v[f] for f in ("rows", "files")} for k, v in s.items()}  # noqa: E731
    assert strip(conform_job.run(spark, args)["datasets"]) == strip(summary)
    assert len(list((tmp_path / "conformed/orders/dt=2026-06-01/hr=10").glob("*.parquet"))) == 1

    out = features_job.run(spark, features_args(specs_json, tmp_path))
    assert out["total_customers"] == 1
    assert out["total_platform_revenue"] == "30.30"
    feats = pq.read_table(tmp_path / "analytics/customer_features/as_of_date=2026-06-01").to_pylist()
    assert [(f["customer_id"], str(f["total_spent"]), f["days_since_last_transaction"], f["top_categories"]) for f in feats] == [
        ("C00000001", "30.30", 1, "books")
    ]


def test_an_empty_window_writes_no_manifest(spark, specs_json, stream_specs_json, tmp_path):
    land(tmp_path, "products", [])
    args = conform_args("products", specs_json, stream_specs_json, tmp_path)
    out = conform_job.run(spark, args)["datasets"]
    assert {k: (v["rows"], v["files"]) for k, v in out.items()} == {"products": (0, 0), "clickstream_events": (0, 0)}
    assert not (tmp_path / "manifests/products").exists()


PRODUCT = {
    "product_id": "P000001",
    "name": "Novel",
    "category": "books",
    "price": "10.00",
    "cost": "4.00",
    "updated_at": "2026-06-01T10:05:00.000000Z",
}


def test_only_the_quality_gate_manifest_files_are_read_and_a_missing_manifest_stops_the_job(spark, specs_json, stream_specs_json, tmp_path):
    land(tmp_path, "products", [PRODUCT])
    # a crashed earlier attempt's part, not in the manifest: never read
    leftover = tmp_path / "oltp/products/dt=2026-06-01/hr=10/products-00001.ndjson.gz"
    leftover.write_bytes(gzip.compress(json.dumps({**PRODUCT, "product_id": "P000666"}).encode() + b"\n"))
    args = conform_args("products", specs_json, stream_specs_json, tmp_path)
    out = conform_job.run(spark, args)
    assert out["datasets"]["products"]["rows"] == 1
    assert out["inputs"]["products"] == ["oltp/products/dt=2026-06-01/hr=10/products-00000.ndjson.gz"]
    (tmp_path / "oltp/products/dt=2026-06-01/hr=10/products.manifest.json").unlink()
    with pytest.raises(Exception, match="no quality-gate manifest"):
        conform_job.run(spark, args)
    assert not (tmp_path / "manifests/conform/dt=2026-06-01/hr=10/summary.json").exists()


def test_a_stream_object_written_into_an_hour_after_its_run_is_read_by_the_next_window_once(spark, specs_json, stream_specs_json, tmp_path):
    ev = page_view("2026-06-01T09:59:00Z", "2026-06-01T10:59:59Z")
    folder = tmp_path / "stream" / "page_view" / "dt=2026-06-01" / "hr=10"
    folder.mkdir(parents=True)
    (folder / "s0-1-1.ndjson").write_text(json.dumps(ev) + "\n")

    def conform(hour):
        land(tmp_path, "products", [], hour)
        args = conform_args("products", specs_json, stream_specs_json, tmp_path, f"2026-06-01T{hour}:00:00Z")
        return conform_job.run(spark, args)

    assert conform("10")["datasets"]["clickstream_events"]["rows"] == 1
    # the processor, running behind, files another 10:xx arrival into hr=10 after the 10:00 window ran
    (folder / "s0-2-2.ndjson").write_text(
        json.dumps({**ev, "event_id": "9b2f6a3e-0000-4000-8000-000000000002", "_sequence_number": "2"}) + "\n"
    )
    nxt = conform("11")
    assert nxt["inputs"]["clickstream_events"] == ["stream/page_view/dt=2026-06-01/hr=10/s0-2-2.ndjson"]
    assert nxt["datasets"]["clickstream_events"]["rows"] == 1
    assert conform("12")["datasets"]["clickstream_events"]["rows"] == 0
