"""Runs a sequence of warehouse steps in ONE Python process: each step's SQL (one transaction, e.g. a window's load
batch) on the DuckDB file, then its dbt command through dbt's programmatic runner. One process parses the project
once, so an hour-by-hour build of a day takes seconds per hour instead of a dbt start-up per hour.

    python scripts/local/warehouse/dbt_steps.py <steps.json> <duckdb path>

steps.json: [{"name": str, "sql": [str], "dbt": [str] | null}, ...]. Prints one JSON line per step
({"name", "dbt_ok", "seconds"}) and stops at the first failing step (exit 1).
"""
import json
import os
import sys
import time
from pathlib import Path

DBT_DIR = Path(__file__).resolve().parents[3] / "dbt"


def main(steps_file: str, duckdb_path: str) -> int:
    if not (DBT_DIR / "dbt_project.yml").is_file():
        print(f"dbt_steps.py: no dbt project at {DBT_DIR}", file=sys.stderr)
        return 2
    os.environ["DATAFLOW_DUCKDB_PATH"] = duckdb_path
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    import duckdb
    from dbt.cli.main import dbtRunner

    runner = dbtRunner()
    for step in json.loads(Path(steps_file).read_text()):
        t0 = time.monotonic()
        if step.get("sql"):
            con = duckdb.connect(duckdb_path)
            try:
                con.execute("BEGIN TRANSACTION")
                for sql in step["sql"]:
                    con.execute(sql)
                con.execute("COMMIT")
            finally:
                con.close()
        ok = True
        if step.get("dbt"):
            res = runner.invoke([*step["dbt"], "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--quiet"])
            ok = bool(res.success)
        print(json.dumps({"name": step["name"], "dbt_ok": ok, "seconds": round(time.monotonic() - t0, 2)}), flush=True)
        if not ok:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
