import datetime as dt
import json
from decimal import Decimal

import pytest
from chispa import assert_df_equality
from pyspark.sql import Row
from pyspark.sql import types as T

from dataflow_glue.conform import ConformError, check_casts, conform_stream_table, conform_table, copy_manifest, file_count, typed_columns
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
    assert len(segs) == 2
    assert segs[0][1] in ("premium", "standard")
    assert segs[1] == ("C00000002", None)
    assert got.where("customer_id = 'C00000002'").first().updated_at == dt.datetime(2026, 6, 1, 9, 55, 0, 500000)


def test_a_value_that_does_not_fit_its_type_fails_naming_the_column(spark, specs):
    spec = specs["order_items"]
    with pytest.raises(ConformError, match=r"unit_price"):
        conform_table(landing(spark, spec, [item("O0000000001", 1, "123456789012.00", "2026-06-01T10:00:00Z")]), spec).collect()
    with pytest.raises(ConformError, match=r"quantity"):
        conform_table(landing(spark, spec, [item("O0000000001", 1, "1.00", "2026-06-01T10:00:00Z", qty="two")]), spec).collect()
    with pytest.raises(ConformError, match=r"required columns are NULL .*product_id"):
        conform_table(landing(spark, spec, [item("O0000000001", 1, "1.00", "2026-06-01T10:00:00Z", product=None)]), spec).collect()


def test_clickstream_events_are_typed_and_deduplicated_by_event_id(spark, stream_specs):
    spec = stream_specs["clickstream_events"]

    def line(eid, seq, arrival, cart=None, etype="page_view"):
        ev = {"event_id": eid, "event_type": etype, "event_version": 1, "occurred_at": "2026-06-01T10:00:00.250Z", "source": "web",
              "session_id": "S0123456789ab", "customer_id": None, "url": "/p", "_shard_id": "shardId-000", "_sequence_number": seq,
              "_arrival_time": arrival}
        if cart is not None:
            ev.update({"cart_value": cart, "item_count": 2})
        return json.dumps(ev).replace(f'"cart_value": "{cart}"', f'"cart_value": {cart}')

    raw = spark.createDataFrame([Row(value=v) for v in [
        line("e1", "2", "2026-06-01T10:00:09Z"),
        line("e1", "1", "2026-06-01T10:00:05Z"),
        line("e2", "3", "2026-06-01T10:00:05.5Z", cart="0.30", etype="checkout_started"),
    ]])
    rows = conform_stream_table(raw, spec).orderBy("event_id").collect()
    assert [(r.event_id, r.arrival_time) for r in rows] == [
        ("e1", dt.datetime(2026, 6, 1, 10, 0, 9)),
        ("e2", dt.datetime(2026, 6, 1, 10, 0, 5, 500000)),
    ]
    assert (rows[1].cart_value, rows[1].item_count, rows[1].event_type) == (Decimal("0.30"), 2, "checkout_started")
    assert rows[0].occurred_at == dt.datetime(2026, 6, 1, 10, 0, 0, 250000)
    assert rows[0].customer_id is None
    assert rows[0].cart_value is None
    assert [f.name for f in conform_stream_table(raw, spec).schema] == [c["name"] for c in spec["columns"]]


def test_stream_events_without_identity_fail(spark, stream_specs):
    raw = spark.createDataFrame([Row(value=json.dumps({"event_type": "page_view", "occurred_at": "2026-06-01T10:00:00Z"}))])
    with pytest.raises(ConformError, match="required columns are NULL"):
        conform_stream_table(raw, stream_specs["clickstream_events"]).collect()


def test_stream_numbers_reach_the_decimal_cast_exactly(spark, stream_specs):
    spec = stream_specs["clickstream_events"]
    base = {
        "event_type": "checkout_started",
        "event_version": 1,
        "occurred_at": "2026-06-01T10:00:00Z",
        "source": "web",
        "session_id": "S0123456789ab",
        "url": "/c",
        "item_count": 1,
        "_arrival_time": "2026-06-01T10:00:01Z",
    }
    # Jackson re-writes these through a double ("1.234567891E7", "9.99999999999E9"); the cast must still be exact.
    values = ["12345678.91", "9999999999.99", "0.10", "-0.00"]
    raw = spark.createDataFrame(
        [
            Row(value=json.dumps({**base, "event_id": f"e{i}", "cart_value": 0}).replace('"cart_value": 0', f'"cart_value": {v}'))
            for i, v in enumerate(values)
        ]
    )
    got = {r.event_id: r.cart_value for r in conform_stream_table(raw, spec).collect()}
    assert got == {f"e{i}": Decimal(v) for i, v in enumerate(values)}


def test_a_stream_decimal_wider_than_a_double_keeps_is_refused(spark, stream_specs):
    spec = json.loads(json.dumps(stream_specs["clickstream_events"]))
    next(c for c in spec["columns"] if c["name"] == "cart_value")["type"].update(precision=18)
    raw = spark.createDataFrame([Row(value="{}")])
    with pytest.raises(ConformError, match=r"wider than 15 digits .*cart_value"):
        conform_stream_table(raw, spec)


def test_the_cast_check_returns_the_row_count_and_typed_columns_keep_the_raw_text(spark, specs):
    spec = specs["order_items"]
    typed = typed_columns(
        landing(
            spark, spec, [item("O0000000001", 1, "1.00", "2026-06-01T10:00:00Z"), item("O0000000001", 1, "2.00", "2026-06-01T11:00:00Z")]
        ),
        spec,
    )
    assert typed.columns == [c["name"] for c in spec["columns"]] + [f"__raw_{c['name']}" for c in spec["columns"]]
    assert check_casts(typed, spec) == 2
    with pytest.raises(ConformError, match=r"landing data lacks columns \['updated_at'\]"):
        typed_columns(landing(spark, spec, []).drop("updated_at"), spec)


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
