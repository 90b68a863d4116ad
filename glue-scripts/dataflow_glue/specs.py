"""Table specs as passed to the jobs (JSON of lambda/contracts/table-specs.ts) and their Spark types."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pyspark.sql import types as T

TableSpec = Mapping[str, Any]


def load_specs(text: str) -> dict[str, TableSpec]:
    """Parses the ``--table_specs`` job argument and checks the fields the jobs rely on."""
    specs = json.loads(text)
    if not isinstance(specs, dict) or not specs:
        raise ValueError("--table_specs must be a non-empty JSON object of table specs")
    for name, spec in specs.items():
        for field in ("name", "primaryKey", "versionColumn", "columns"):
            if field not in spec:
                raise ValueError(f"table spec {name!r} lacks {field!r}")
    return specs


def spark_type(column: Mapping[str, Any]) -> T.DataType:
    """The exact Spark type of a spec column (DECIMAL(p,s) stays exact; timestamps are UTC wall-clock NTZ)."""
    kind = column["type"]["kind"]
    if kind in ("varchar", "char"):
        return T.StringType()
    if kind == "integer":
        return T.IntegerType()
    if kind == "bigint":
        return T.LongType()
    if kind == "decimal":
        return T.DecimalType(column["type"]["precision"], column["type"]["scale"])
    if kind == "date":
        return T.DateType()
    if kind == "timestamp":
        return T.TimestampNTZType()
    if kind == "boolean":
        return T.BooleanType()
    raise ValueError(f"column {column['name']!r}: unsupported type {kind!r}")


def typed_schema(spec: TableSpec) -> T.StructType:
    """The conformed schema: every spec column, in spec order (COPY maps Parquet columns by position)."""
    return T.StructType([T.StructField(c["name"], spark_type(c), c["nullable"]) for c in spec["columns"]])


def landing_schema(spec: TableSpec) -> T.StructType:
    """How landing NDJSON is read: every column as text, so casts are explicit and exact."""
    return T.StructType([T.StructField(c["name"], T.StringType(), True) for c in spec["columns"]])
