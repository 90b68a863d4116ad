"""Glue job `conform` (thin entry): staging landing data of one window -> typed Parquet + COPY manifests.

On AWS Glue the arguments come from getResolvedOptions; under a local `spark-submit` (no awsglue) the same
`--name value` arguments are parsed by argparse. Transformations live in dataflow_glue.conform.
"""
import argparse
import json
import sys
import time

from pyspark.sql import SparkSession

from dataflow_glue import io
from dataflow_glue.conform import conform_table, copy_manifest, file_count, stream_landing
from dataflow_glue.layout import parse_window_start, partition
from dataflow_glue.specs import landing_schema, load_specs

ARGS = ["window_start", "tables", "table_specs", "stream_specs", "staging_root"]


def context(argv):
    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job
        from awsglue.utils import getResolvedOptions
        from pyspark.context import SparkContext
    except ImportError:
        parser = argparse.ArgumentParser()
        for name in ARGS:
            parser.add_argument(f"--{name}", required=True)
        args = vars(parser.parse_known_args(argv[1:])[0])
        spark = SparkSession.builder.appName("conform").getOrCreate()
        return args, spark, None
    args = getResolvedOptions(argv, ["JOB_NAME", *ARGS])
    glue = GlueContext(SparkContext.getOrCreate())
    job = Job(glue)
    job.init(args["JOB_NAME"], args)
    return args, glue.spark_session, job


def run(spark, args) -> dict:
    """Conforms every OLTP table and stream table of the window; returns per-dataset row/file counts."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    root = args["staging_root"].rstrip("/")
    start = parse_window_start(args["window_start"])
    specs = load_specs(args["table_specs"])
    summary = {}
    for table in [t for t in args["tables"].split(",") if t]:
        if table not in specs:
            raise ValueError(f"--tables names {table!r}, which has no table spec")
        spec = specs[table]
        landing = f"{root}/{partition('oltp', table, start)}"
        files = [u for u, _ in io.list_files(spark, landing, ".ndjson.gz")]
        # Parse the landing JSON once: the lossy-cast check and the conform both read the cached rows.
        landing = spark.read.schema(landing_schema(spec)).json(files).cache() if files else None
        summary[table] = write_dataset(spark, root, table, start, conform_table(landing, spec) if landing is not None else None, spec["primaryKey"])
        if landing is not None:
            landing.unpersist()
    for name, spec in load_specs(args["stream_specs"]).items():
        lines = []
        for event_type in spec["eventTypes"]:
            lines += [u for u, _ in io.list_files(spark, f"{root}/{partition('stream', event_type, start)}", ".ndjson")]
        landing = stream_landing(spark.read.text(lines), spec).cache() if lines else None
        summary[name] = write_dataset(spark, root, name, start, conform_table(landing, spec) if landing is not None else None, spec["primaryKey"])
        if landing is not None:
            landing.unpersist()
    io.write_text(spark, f"{root}/{partition('manifests', 'conform', start)}summary.json", json.dumps(summary, indent=2, sort_keys=True))
    return summary


def write_dataset(spark, root, name, start, df, sort_keys) -> dict:
    t0 = time.monotonic()
    result = _write_dataset(spark, root, name, start, df, sort_keys)
    return {**result, "seconds": round(time.monotonic() - t0, 2)}


def _write_dataset(spark, root, name, start, df, sort_keys) -> dict:
    out = f"{root}/{partition('conformed', name, start)}"
    manifest = f"{root}/{partition('manifests', name, start)}manifest.json"
    io.delete(spark, out)
    io.delete(spark, manifest)
    if df is None:
        return {"rows": 0, "files": 0}
    df = df.cache()
    rows = df.count()
    if rows == 0:
        df.unpersist()
        return {"rows": 0, "files": 0}
    df.repartition(file_count(rows), *sort_keys).sortWithinPartitions(*sort_keys).write.mode("overwrite").parquet(out)
    df.unpersist()
    files = io.list_files(spark, out, ".parquet")
    io.write_text(spark, manifest, json.dumps(copy_manifest(files), indent=2))
    return {"rows": rows, "files": len(files), "manifest": manifest}


def main(argv):
    args, spark, job = context(argv)
    summary = run(spark, args)
    print(json.dumps({"conform": summary}, sort_keys=True))
    if job is not None:
        job.commit()


if __name__ == "__main__":
    main(sys.argv)
