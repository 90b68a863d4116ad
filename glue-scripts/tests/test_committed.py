"""customer_features reads committed conformed partitions only (those with a COPY manifest)."""
import conform as conform_job
import customer_features as features_job
import pyarrow as pa
import pyarrow.parquet as pq
from test_jobs import conform_args, features_args, land

from dataflow_glue.committed import committed_files

TS = "2026-06-01T10:05:00.000000Z"


def test_a_partition_without_manifest_is_not_read(spark, specs_json, stream_specs_json, tmp_path):
    land(tmp_path, "customers", [
        {"customer_id": "C00000001", "email": "a@example.com", "first_name": "A", "last_name": "B", "registration_date": "2025-01-01",
         "last_login_date": None, "customer_segment": "basic", "updated_at": TS},
    ])
    args = conform_args("customers", specs_json, stream_specs_json, tmp_path)
    conform_job.run(spark, args)
    committed = committed_files(spark, str(tmp_path), "customers")
    assert len(committed) == 1
    assert "/conformed/customers/dt=2026-06-01/hr=10/" in committed[0]
    assert committed_files(spark, str(tmp_path), "orders") == []

    # Another execution is conforming hour 11 right now: its Parquet is written, its manifest not yet.
    table = pq.read_table(committed[0].replace("file:", ""))
    in_flight = tmp_path / "conformed/customers/dt=2026-06-01/hr=11"
    in_flight.mkdir(parents=True)
    pq.write_table(table.set_column(0, "customer_id", pa.array(["C00000002"])), in_flight / "part-00000.parquet")
    assert committed_files(spark, str(tmp_path), "customers") == committed

    out = features_job.run(spark, features_args(specs_json, tmp_path))
    assert out["total_customers"] == 1
    feats = pq.read_table(tmp_path / "analytics/customer_features/as_of_date=2026-06-01").to_pylist()
    assert [f["customer_id"] for f in feats] == ["C00000001"]
