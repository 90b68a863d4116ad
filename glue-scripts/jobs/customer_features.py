"""Glue job `customer_features` (thin entry): conformed OLTP history -> analytics/customer_features Parquet.

Reads dbt/customer_rules.yml (uploaded beside the job; `--rules_path`), so RFM and tiers match dbt's customer_360.
Reads only committed conformed partitions (those with a COPY manifest), computes the whole day before touching its
output, then overwrites the day's partition; the state machine runs it under the day's lease, so one execution at a
time writes a day.
"""
import datetime as dt
import json
import sys

from dataflow_glue import io
from dataflow_glue.committed import committed_files
from dataflow_glue.features import customer_features, summary_statistics
from dataflow_glue.job_entry import job_context
from dataflow_glue.rules import load_rules
from dataflow_glue.specs import load_specs, typed_schema

ARGS = ["as_of_date", "table_specs", "staging_root", "rules_path"]
TABLES = ("customers", "products", "orders", "order_items")


def run(spark, args) -> dict:
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    root = args["staging_root"].rstrip("/")
    as_of = dt.date.fromisoformat(args["as_of_date"])
    specs = load_specs(args["table_specs"])
    rules = load_rules(io.read_text(spark, args["rules_path"]))
    frames = {}
    for t in TABLES:
        schema = typed_schema(specs[t])
        files = committed_files(spark, root, t)
        frames[t] = spark.read.schema(schema).parquet(*files) if files else spark.createDataFrame([], schema)
    features = customer_features(
        frames["customers"], frames["products"], frames["orders"], frames["order_items"], specs, rules, as_of
    ).cache()
    # Read everything before the overwrite deletes the day's previous output: a read error leaves it in place.
    features.count()
    out = f"{root}/analytics/customer_features/as_of_date={as_of.isoformat()}/"
    features.drop("as_of_date").coalesce(1).write.mode("overwrite").parquet(out)
    summary = summary_statistics(features, as_of)
    summary.drop("as_of_date").coalesce(1).write.mode("overwrite").parquet(
        f"{root}/analytics/customer_features_summary/as_of_date={as_of.isoformat()}/"
    )
    row = summary.collect()[0].asDict()
    return {k: (str(v) if not isinstance(v, (int, float, str, type(None))) else v) for k, v in row.items()}


def main(argv):
    args, spark, job = job_context(argv, "customer_features", ARGS)
    print(json.dumps({"customer_features": run(spark, args)}, sort_keys=True))
    if job is not None:
        job.commit()


if __name__ == "__main__":
    main(sys.argv)
