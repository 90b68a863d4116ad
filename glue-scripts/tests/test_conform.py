import datetime as dt
import json
from decimal import Decimal

import pytest
from chispa import assert_df_equality
from pyspark.sql import Row
from pyspark.sql import types as T

from dataflow_glue.conform import ConformError, conform_events, conform_table, copy_manifest, file_count
from dataflow_glue.specs import landing_schema, typed_schema


def landing(spark, spec, rows):
    return spark.createDataFrame(rows, landing_schema(spec))


def item(order_id, line, price, updated, qty="1", product="P000001"):
    return (order_id, str(line), product, qty, price, updated)


def test_conformed_schema_is_the_spec_in_order_with_exact_types(spark, specs):
    spec = specs["order_items"]
    df = conform_table(landing(spark, spec, [item("O0000000001", 1, "0.10", "2026-06-01T10:00:00.000000Z")]), spec)
    assert [(f.name, f.dataType) for f in df.schema] == [(f.name, f.dataType) for f in typed_schema(spec)]
    assert [f.name for f in df.schema] == [c["name"] for c in spec["columns"]]
    assert df.schema["unit_price"].dataType == T.DecimalType(12, 2)
    assert df.schema["updated_at"].dataType == T.TimestampNTZType()


def test_decimals_are_exact_and_timestamps_keep_microseconds(spark, specs):
    spec = specs["order_items"]
    rows = [item("O0000000001", i, p, "2026-06-01T10:00:00.123456Z") for i, p in enumerate(["0.10", "0.20", "9999999999.99"], 1)]
    df = conform_table(landing(spark, spec, rows), spec)
    total = df.agg({"unit_price": "sum"}).collect()[0][0]
    assert total == Decimal("10000000000.29")
    assert df.select("updated_at").first()[0] == dt.datetime(2026, 6, 1, 10, 0, 0, 123456)


def test_latest_version_per_key_wins_with_a_deterministic_tie_break(spark, specs):
    spec = specs["customers"]
    base = ["C00000001", "a@example.com", "Ada", "Ng", "2025-01-01", None, "basic"]
    rows = [
        (*base, "2026-06-01T10:00:00Z"),
        (*base[:6], "premium", "2026-06-01T10:30:00Z"),
        (*base[:6], "standard", "2026-06-01T10:30:00Z"),
        ("C00000002", None, None, None, "2025-01-01", None, None, "2026-06-01T09:55:00.5Z"),
    ]
    got = conform_table(landing(spark, spec, rows), spec).orderBy("customer_id")
    again = conform_table(landing(spark, spec, list(reversed(rows))), spec).orderBy("customer_id")
    assert_df_equality(got, again)
    segs = [(r.customer_id, r.customer_segment) for r in got.collect()]
    assert len(segs) == 2 and segs[0][1] in ("premium", "standard") and segs[1] == ("C00000002", None)
    assert got.where("customer_id = 'C00000002'").first().updated_at == dt.datetime(2026, 6, 1, 9, 55, 0, 500000)


def test_a_value_that_does_not_fit_its_type_fails_naming_the_column(spark, specs):
    spec = specs["order_items"]
    with pytest.raises(ConformError, match=r"unit_price"):
        conform_table(landing(spark, spec, [item("O0000000001", 1, "123456789012.00", "2026-06-01T10:00:00Z")]), spec).collect()
    with pytest.raises(ConformError, match=r"quantity"):
        conform_table(landing(spark, spec, [item("O0000000001", 1, "1.00", "2026-06-01T10:00:00Z", qty="two")]), spec).collect()
    with pytest.raises(ConformError, match=r"required columns are NULL .*product_id"):
        conform_table(landing(spark, spec, [item("O0000000001", 1, "1.00", "2026-06-01T10:00:00Z", product=None)]), spec).collect()


def test_events_are_typed_deduplicated_by_event_id_and_keep_partition_columns(spark):
    def line(eid, seq, amount="19.99", arrival="2026-06-01T10:00:05Z"):
        return json.dumps(
            {
                "event_id": eid,
                "event_type": "order_placed",
                "event_version": 1,
                "occurred_at": "2026-06-01T10:00:00.250Z",
                "source": "web",
                "order_id": "O0000000001",
                "customer_id": "C00000001",
                "amount": float(amount),
                "currency": "EUR",
                "items": [{"product_id": "P000001", "quantity": 1, "unit_price": float(amount)}],
                "_shard_id": "shardId-000",
                "_sequence_number": seq,
                "_arrival_time": arrival,
            }
        )

    raw = spark.createDataFrame([Row(value=v) for v in [line("e1", "2", arrival="2026-06-01T10:00:09Z"), line("e1", "1"), line("e2", "3", "0.3")]])
    got = conform_events(raw).orderBy("event_id")
    rows = got.collect()
    assert [(r.event_id, r.sequence_number) for r in rows] == [("e1", "1"), ("e2", "3")]
    assert rows[1].amount == Decimal("0.30")
    assert rows[0].occurred_at == dt.datetime(2026, 6, 1, 10, 0, 0, 250000)
    assert (rows[0].dt, rows[0].hr, rows[0].event_type) == (dt.date(2026, 6, 1), 10, "order_placed")
    assert json.loads(rows[0].payload)["items"][0]["product_id"] == "P000001"


def test_events_without_identity_fail(spark):
    raw = spark.createDataFrame([Row(value=json.dumps({"event_type": "page_view", "occurred_at": "2026-06-01T10:00:00Z"}))])
    with pytest.raises(ConformError, match="lack event_id"):
        conform_events(raw)


def test_file_sizing_and_copy_manifest():
    assert [file_count(n) for n in (0, 1, 1_000_000, 1_000_001, 10**9)] == [1, 1, 1, 2, 64]
    m = copy_manifest([("s3://b/k2.parquet", 20), ("s3://b/k1.parquet", 10)])
    assert m == {
        "entries": [
            {"url": "s3://b/k1.parquet", "mandatory": True, "meta": {"content_length": 10}},
            {"url": "s3://b/k2.parquet", "mandatory": True, "meta": {"content_length": 20}},
        ]
    }
    with pytest.raises(ConformError):
        copy_manifest([])
