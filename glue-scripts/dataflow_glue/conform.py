"""conform: landing NDJSON (quality-gate output, stream processor events) -> typed, de-duplicated Parquet.

* OLTP tables: every column cast exactly to its spec type (DECIMAL(p,s) from the decimal text, never via float),
  latest version per primary key (version column desc, then a fingerprint of the row as a deterministic
  tie-break), columns in spec order.
* Stream events: typed envelope, one row per ``event_id`` (first arrival wins), money as DECIMAL(12,2), the rest
  of the event kept as JSON; partition values (event_type, dt, hr) kept as ordinary columns.
* A cast that turns a present value into NULL is an error naming the column, never silent data loss.
"""
from __future__ import annotations

import math
from typing import Iterable, Mapping, Sequence

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .specs import TableSpec, spark_type

TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss[.SSSSSS][.SSS]X"


class ConformError(ValueError):
    """Landing data that cannot be conformed without losing information."""


def _cast(column: Mapping, value: Column) -> Column:
    target = spark_type(column)
    kind = column["type"]["kind"]
    if kind == "timestamp":
        return F.to_timestamp(value, TIMESTAMP_FORMAT).cast(T.TimestampNTZType())
    if kind == "date":
        return F.to_date(value, "yyyy-MM-dd")
    return value.cast(target)


def cast_to_spec(df: DataFrame, spec: TableSpec) -> DataFrame:
    """Casts landing text columns to the spec types, in spec order; raises ConformError on lossy casts."""
    cols = spec["columns"]
    missing = [c["name"] for c in cols if c["name"] not in df.columns]
    if missing:
        raise ConformError(f"{spec['name']}: landing data lacks columns {missing}")
    typed = df.select(*[_cast(c, F.col(c["name"])).alias(c["name"]) for c in cols], *[F.col(c["name"]).alias(f"__raw_{c['name']}") for c in cols])
    lost = [
        F.sum(F.when(F.col(f"__raw_{c['name']}").isNotNull() & F.col(c["name"]).isNull(), 1).otherwise(0)).alias(c["name"])
        for c in cols
    ]
    nulls = [F.sum(F.when(F.col(c["name"]).isNull(), 1).otherwise(0)).alias(f"__null_{c['name']}") for c in cols if not c["nullable"]]
    counts = typed.agg(*lost, *nulls).collect()[0].asDict()
    bad = {k: v for k, v in counts.items() if v and not k.startswith("__null_")}
    if bad:
        raise ConformError(f"{spec['name']}: values that do not fit their spec type (column: rows): {bad}")
    null_required = {k[len("__null_"):]: v for k, v in counts.items() if v and k.startswith("__null_")}
    if null_required:
        raise ConformError(f"{spec['name']}: required columns are NULL (column: rows): {null_required}")
    return typed.select(*[c["name"] for c in cols])


def fingerprint(df: DataFrame, columns: Sequence[str]) -> Column:
    """md5 over every column's text (NULL distinguishable from ''): a deterministic tie-break."""
    return F.md5(F.concat_ws("|", *[F.coalesce(F.col(c).cast("string"), F.lit("<null>")) for c in columns]))


def latest_per_key(df: DataFrame, spec: TableSpec) -> DataFrame:
    """One row per primary key: greatest version, then greatest fingerprint."""
    names = [c["name"] for c in spec["columns"]]
    w = Window.partitionBy(*spec["primaryKey"]).orderBy(F.col(spec["versionColumn"]).desc(), F.col("__fp").desc())
    return (
        df.withColumn("__fp", fingerprint(df, names))
        .withColumn("__rn", F.row_number().over(w))
        .where(F.col("__rn") == 1)
        .select(*names)
    )


def conform_table(landing: DataFrame, spec: TableSpec) -> DataFrame:
    """Landing rows of one OLTP table -> typed, de-duplicated rows in spec column order."""
    return latest_per_key(cast_to_spec(landing, spec), spec)


ENVELOPE = ("event_id", "event_type", "event_version", "occurred_at", "source")
EVENT_COLUMNS = T.StructType(
    [
        T.StructField("event_id", T.StringType(), False),
        T.StructField("event_type", T.StringType(), False),
        T.StructField("event_version", T.IntegerType(), False),
        T.StructField("occurred_at", T.TimestampNTZType(), False),
        T.StructField("source", T.StringType(), False),
        T.StructField("customer_id", T.StringType(), True),
        T.StructField("order_id", T.StringType(), True),
        T.StructField("session_id", T.StringType(), True),
        T.StructField("product_id", T.StringType(), True),
        T.StructField("amount", T.DecimalType(12, 2), True),
        T.StructField("currency", T.StringType(), True),
        T.StructField("payload", T.StringType(), False),
        T.StructField("shard_id", T.StringType(), True),
        T.StructField("sequence_number", T.StringType(), True),
        T.StructField("arrival_time", T.TimestampNTZType(), True),
        T.StructField("dt", T.DateType(), False),
        T.StructField("hr", T.IntegerType(), False),
    ]
)


def conform_events(raw_lines: DataFrame) -> DataFrame:
    """Stream-processor NDJSON lines (one column ``value``) -> typed events, one per event_id.

    Amounts are parsed from the JSON text with ``prefersDecimal`` semantics (get_json_object returns the literal
    text), so 19.99 stays exactly 19.99.
    """
    j = F.col("value")
    get = lambda path: F.get_json_object(j, f"$.{path}")  # noqa: E731
    occurred = F.to_timestamp(get("occurred_at"), TIMESTAMP_FORMAT)
    events = raw_lines.select(
        get("event_id").alias("event_id"),
        get("event_type").alias("event_type"),
        get("event_version").cast("int").alias("event_version"),
        occurred.cast(T.TimestampNTZType()).alias("occurred_at"),
        get("source").alias("source"),
        get("customer_id").alias("customer_id"),
        get("order_id").alias("order_id"),
        get("session_id").alias("session_id"),
        get("product_id").alias("product_id"),
        get("amount").cast(T.DecimalType(12, 2)).alias("amount"),
        get("currency").alias("currency"),
        j.alias("payload"),
        get("_shard_id").alias("shard_id"),
        get("_sequence_number").alias("sequence_number"),
        F.to_timestamp(get("_arrival_time"), TIMESTAMP_FORMAT).cast(T.TimestampNTZType()).alias("arrival_time"),
        get("amount").alias("__amount_text"),
    )
    bad_amount = events.where(F.col("__amount_text").isNotNull() & F.col("amount").isNull()).count()
    if bad_amount:
        raise ConformError(f"events: {bad_amount} amounts do not fit DECIMAL(12,2)")
    missing = events.where(F.col("event_id").isNull() | F.col("occurred_at").isNull() | F.col("event_type").isNull()).count()
    if missing:
        raise ConformError(f"events: {missing} lines lack event_id, event_type or a valid occurred_at")
    w = Window.partitionBy("event_id").orderBy(F.col("arrival_time").asc_nulls_last(), F.col("sequence_number").asc_nulls_last())
    deduped = events.withColumn("__rn", F.row_number().over(w)).where(F.col("__rn") == 1)
    return deduped.select(
        *[c for c in EVENT_COLUMNS.fieldNames() if c not in ("dt", "hr")],
        F.to_date(F.col("occurred_at")).alias("dt"),
        F.hour(F.col("occurred_at")).alias("hr"),
    )


def file_count(rows: int, rows_per_file: int = 1_000_000, max_files: int = 64) -> int:
    """Parquet files for a table: about ``rows_per_file`` rows each (COPY likes 1 MB–1 GB files of similar size)."""
    return max(1, min(max_files, math.ceil(rows / rows_per_file)))


def copy_manifest(files: Iterable[tuple[str, int]]) -> dict:
    """A Redshift COPY manifest for Parquet: every file mandatory, with its content_length (required for Parquet)."""
    entries = [{"url": url, "mandatory": True, "meta": {"content_length": size}} for url, size in sorted(files)]
    if not entries:
        raise ConformError("a COPY manifest needs at least one file")
    return {"entries": entries}
