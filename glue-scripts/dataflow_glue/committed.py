"""Committed conformed partitions: the conform job writes a partition's Parquet first and its COPY manifest last (and
deletes the manifest first when it rewrites a window), so a partition is complete exactly when its manifest exists,
and the manifest lists exactly its files. Readers of the whole conformed history read through the manifests, never
a half-written partition of a window another execution is conforming at that moment."""
from __future__ import annotations

import json

from pyspark.sql import SparkSession

from dataflow_glue import io


def committed_files(spark: SparkSession, root: str, table: str) -> list[str]:
    """Parquet files of every committed partition of a conformed table (sorted; [] if none is committed)."""
    jvm = spark.sparkContext._jvm
    pattern = jvm.org.apache.hadoop.fs.Path(f"{root.rstrip('/')}/manifests/{table}/dt=*/hr=*/manifest.json")
    statuses = pattern.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).globStatus(pattern) or []
    files: list[str] = []
    for status in statuses:
        manifest = json.loads(io.read_text(spark, status.getPath().toString()))
        files += [entry["url"] for entry in manifest["entries"]]
    return sorted(files)
