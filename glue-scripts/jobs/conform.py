"""Glue job `conform` (thin entry): staging landing data of one window -> typed Parquet + COPY manifests.

Reads exactly the files the quality gate's manifests list (OLTP tables) and the stream objects the window owns
(dataflow_glue.layout.stream_inputs: its arrival hour plus late-written objects of the hours before that no earlier
window read). Its summary is its stage manifest: deleted first, written last, listing per dataset the rows, the COPY
manifest and the inputs read; the loader reads only what a summary lists.

Its arguments and session come from dataflow_glue.job_entry (Glue's, or argparse's under a local `spark-submit`).
Transformations live in dataflow_glue.conform.
"""
import datetime as dt
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from pyspark.sql import Observation
from pyspark.sql import functions as F

from dataflow_glue import io
from dataflow_glue.conform import ConformError, check_casts, copy_manifest, file_count, latest_per_key, stream_landing, typed_columns
from dataflow_glue.job_entry import job_context
from dataflow_glue.layout import manifest_keys, parse_window_start, partition, stage_manifest_key, stream_folders, stream_inputs
from dataflow_glue.specs import landing_schema, load_specs

ARGS = ["window_start", "tables", "table_specs", "stream_specs", "staging_root", "stream_late_hours"]


def read_json(spark, path):
    return json.loads(io.read_text(spark, path)) if io.exists(spark, path) else None


def run(spark, args) -> dict:
    """Conforms every OLTP table and stream table of the window; returns the summary (per-dataset rows/files, inputs).

    The datasets are independent, so they run concurrently (one driver thread each): most are a single gzip file,
    one task, and would otherwise leave executor cores idle while the driver plans the next one.
    """
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    root = args["staging_root"].rstrip("/")
    start = parse_window_start(args["window_start"])
    late = int(args["stream_late_hours"])
    specs = load_specs(args["table_specs"])
    summary_path = f"{root}/{stage_manifest_key('conform', 'conform', start)}"
    io.delete(spark, summary_path)  # an attempt that dies half-way leaves no summary, never a stale one
    consumed = []
    for h in range(1, late + 1):
        earlier = read_json(spark, f"{root}/{stage_manifest_key('conform', 'conform', start - dt.timedelta(hours=h))}")
        for keys in (earlier or {}).get("inputs", {}).values():
            consumed += keys
    datasets, inputs = {}, {}
    for name, spec in load_specs(args["stream_specs"]).items():
        listed = {
            f: [f + url.rsplit("/", 1)[1] for url, _ in io.list_files(spark, f"{root}/{f}", ".ndjson")]
            for f in stream_folders(spec["eventTypes"], start, late)
        }
        inputs[name] = stream_inputs(start, late, listed, consumed)
        lines = [f"{root}/{k}" for k in inputs[name]]
        datasets[name] = (spec, (lambda lines=lines, spec=spec: stream_landing(spark.read.text(lines), spec)) if lines else None, None)
    for table in [t for t in args["tables"].split(",") if t]:
        if table not in specs:
            raise ValueError(f"--tables names {table!r}, which has no table spec")
        spec = specs[table]
        gate = read_json(spark, f"{root}/{stage_manifest_key('quality', table, start)}")
        if gate is None:
            raise ConformError(f"{table}: no quality-gate manifest for window {args['window_start']} (the gate has not passed for it)")
        inputs[table] = manifest_keys(gate, "staging")
        files = [f"{root}/{k}" for k in inputs[table]]
        datasets[table] = (
            spec,
            (lambda files=files, spec=spec: spark.read.schema(landing_schema(spec)).json(files)) if files else None,
            gate["rows"],
        )
    with ThreadPoolExecutor(max_workers=len(datasets) or 1) as pool:
        futures = {
            name: pool.submit(write_dataset, spark, root, name, start, spec, landing, expected)
            for name, (spec, landing, expected) in datasets.items()
        }
        results = {name: future.result() for name, future in futures.items()}
    end = start + dt.timedelta(hours=1)
    summary = {
        "stage": "conform",
        "window": {"start": f"{start:%Y-%m-%dT%H:%M:%S.000Z}", "end": f"{end:%Y-%m-%dT%H:%M:%S.000Z}"},
        "datasets": results,
        "inputs": inputs,
    }
    io.write_text(spark, summary_path, json.dumps(summary, indent=2, sort_keys=True))
    return summary


def write_dataset(spark, root, name, start, spec, landing, expected) -> dict:
    """One dataset of the window: landing (a DataFrame factory, None if nothing landed) -> Parquet + COPY manifest.
    ``expected``: the rows the input's manifest promises (None for stream objects); any other count is an error."""
    t0 = time.monotonic()
    out = f"{root}/{partition('conformed', name, start)}"
    manifest = f"{root}/{partition('manifests', name, start)}manifest.json"
    io.delete(spark, out)
    io.delete(spark, manifest)
    result = {"rows": 0, "files": 0}
    if landing is not None:
        # Cast once and keep it: the lossless-cast check and the de-duplicating write both read the cached rows.
        typed = typed_columns(landing(), spec).cache()
        try:
            landed = check_casts(typed, spec)
            if expected is not None and landed != expected:
                raise ConformError(f"{name}: the quality-gate manifest lists {expected} rows, its files hold {landed}")
            if landed:
                rows = Observation(name)
                keys = spec["primaryKey"]
                conformed = latest_per_key(typed, spec)
                # Files sized from the landed rows, an upper bound of the de-duplicated ones.
                conformed.observe(rows, F.count(F.lit(1)).alias("rows")).repartition(file_count(landed), *keys).sortWithinPartitions(
                    *keys
                ).write.mode("overwrite").parquet(out)
                files = io.list_files(spark, out, ".parquet")
                io.write_text(spark, manifest, json.dumps(copy_manifest(files), indent=2))
                result = {"rows": rows.get["rows"], "files": len(files), "manifest": manifest}
        finally:
            typed.unpersist()
    return {**result, "seconds": round(time.monotonic() - t0, 2)}


def main(argv):
    args, spark, job = job_context(argv, "conform", ARGS)
    summary = run(spark, args)
    print(json.dumps({"conform": summary["datasets"]}, sort_keys=True))
    if job is not None:
        job.commit()


if __name__ == "__main__":
    main(sys.argv)
