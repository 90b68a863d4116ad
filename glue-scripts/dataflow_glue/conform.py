"""conform: landing NDJSON (quality-gate output, stream processor events) -> typed, de-duplicated Parquet.

* OLTP tables: every column cast exactly to its spec type (DECIMAL(p,s) from the decimal text, never via float),
  latest version per primary key (version column desc, then a fingerprint of the row as a deterministic
  tie-break), columns in spec order.
* Stream events (the stream tables' specs, e.g. clickstream_events): the spec columns read from each validated
  event, cast the same exact way, one row per ``event_id`` (latest arrival wins, like the warehouse merge).
* Partition values stay in the data: the window's rows keep every spec column (COPY maps Parquet columns by
  position, so nothing is moved into the path only); the window itself is the dt=/hr= folder.
* A cast that turns a present value into NULL is an error naming the column, never silent data loss.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

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


def typed_columns(df: DataFrame, spec: TableSpec) -> DataFrame:
    """Landing text columns cast to the spec types, in spec order, each raw text kept beside as ``__raw_<name>`` for
    :func:`check_casts`. Raises ConformError if a spec column is missing."""
    cols = spec["columns"]
    missing = [c["name"] for c in cols if c["name"] not in df.columns]
    if missing:
        raise ConformError(f"{spec['name']}: landing data lacks columns {missing}")
    return df.select(
        *[_cast(c, F.col(c["name"])).alias(c["name"]) for c in cols], *[F.col(c["name"]).alias(f"__raw_{c['name']}") for c in cols]
    )


def check_casts(typed: DataFrame, spec: TableSpec) -> int:
    """One pass over :func:`typed_columns` output: raises ConformError naming the columns where a present value became
    NULL (lossy cast) or a required column is NULL; otherwise returns the number of rows."""
    cols = spec["columns"]
    lost = [
        F.sum(F.when(F.col(f"__raw_{c['name']}").isNotNull() & F.col(c["name"]).isNull(), 1).otherwise(0)).alias(c["name"]) for c in cols
    ]
    nulls = [F.sum(F.when(F.col(c["name"]).isNull(), 1).otherwise(0)).alias(f"__null_{c['name']}") for c in cols if not c["nullable"]]
    counts = typed.agg(F.count(F.lit(1)).alias("__rows"), *lost, *nulls).collect()[0].asDict()
    rows = counts.pop("__rows")
    bad = {k: v for k, v in counts.items() if v and not k.startswith("__null_")}
    if bad:
        raise ConformError(f"{spec['name']}: values that do not fit their spec type (column: rows): {bad}")
    null_required = {k[len("__null_") :]: v for k, v in counts.items() if v and k.startswith("__null_")}
    if null_required:
        raise ConformError(f"{spec['name']}: required columns are NULL (column: rows): {null_required}")
    return rows


def fingerprint(df: DataFrame, columns: Sequence[str]) -> Column:
    """md5 over every column's text (NULL distinguishable from ''): a deterministic tie-break."""
    return F.md5(F.concat_ws("|", *[F.coalesce(F.col(c).cast("string"), F.lit("<null>")) for c in columns]))


def latest_per_key(df: DataFrame, spec: TableSpec) -> DataFrame:
    """One row per primary key: greatest version, then greatest fingerprint; the spec columns in spec order (other
    columns, such as :func:`typed_columns`' raw text, are dropped)."""
    names = [c["name"] for c in spec["columns"]]
    w = Window.partitionBy(*spec["primaryKey"]).orderBy(F.col(spec["versionColumn"]).desc(), F.col("__fp").desc())
    return df.withColumn("__fp", fingerprint(df, names)).withColumn("__rn", F.row_number().over(w)).where(F.col("__rn") == 1).select(*names)


def conform_table(landing: DataFrame, spec: TableSpec) -> DataFrame:
    """Landing rows of one table -> typed, de-duplicated rows in spec column order; raises ConformError on lossy
    casts. The conform job runs the same three steps with the typed rows cached between the check and the write."""
    typed = typed_columns(landing, spec)
    check_casts(typed, spec)
    return latest_per_key(typed, spec)


#: Stream-processor metadata fields that feed spec columns (the processor prefixes them with "_").
STREAM_METADATA = {"arrival_time": "_arrival_time", "shard_id": "_shard_id", "sequence_number": "_sequence_number"}

#: Significant digits a JSON number keeps through a double (every 15-digit decimal round-trips exactly).
MAX_EXACT_STREAM_DIGITS = 15


def stream_landing(lines: DataFrame, spec: TableSpec) -> DataFrame:
    """Stream-processor NDJSON lines (one column ``value``) -> one text column per spec column.

    Each line is parsed once (``from_json`` with every field as text). A string field gives its value, null or a
    missing key NULL, any other JSON value its JSON text as Jackson re-writes it: a number goes through a double
    (12345678.91 -> "1.234567891E7"), which the DECIMAL cast reads back exactly for up to 15 significant digits,
    so a spec DECIMAL wider than that is refused here. Staging lines have unique keys (the stream processor writes a
    line as received only when they are).
    """
    wide = [c["name"] for c in spec["columns"] if c["type"]["kind"] == "decimal" and c["type"]["precision"] > MAX_EXACT_STREAM_DIGITS]
    if wide:
        raise ConformError(
            f"{spec['name']}: stream DECIMAL columns wider than {MAX_EXACT_STREAM_DIGITS} digits cannot be read exactly: {wide}"
        )
    names = [c["name"] for c in spec["columns"]]
    fields = [STREAM_METADATA.get(n, n) for n in names]
    schema = T.StructType([T.StructField(f, T.StringType(), True) for f in fields])
    parsed = lines.select(F.from_json(F.col("value"), schema).alias("__event"))
    return parsed.select(*[F.col("__event").getField(f).alias(n) for f, n in zip(fields, names, strict=True)])


def conform_stream_table(lines: DataFrame, spec: TableSpec) -> DataFrame:
    """Validated stream events of one warehouse table -> typed rows, one per event_id (latest arrival wins, as in
    the warehouse merge), in spec column order."""
    return conform_table(stream_landing(lines, spec), spec)


def file_count(rows: int, rows_per_file: int = 1_000_000, max_files: int = 64) -> int:
    """Parquet files for a table: about ``rows_per_file`` rows each (COPY likes 1 MB to 1 GB files of similar size)."""
    return max(1, min(max_files, math.ceil(rows / rows_per_file)))


def copy_manifest(files: Iterable[tuple[str, int]]) -> dict:
    """A Redshift COPY manifest for Parquet: every file mandatory, with its content_length (required for Parquet)."""
    entries = [{"url": url, "mandatory": True, "meta": {"content_length": size}} for url, size in sorted(files)]
    if not entries:
        raise ConformError("a COPY manifest needs at least one file")
    return {"entries": entries}
