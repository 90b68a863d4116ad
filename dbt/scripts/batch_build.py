"""Entrypoint of the hourly batch's dbt task (ECS Fargate).

Runs `dbt build` for the window's as_of_date through openlineage-dbt (`dbt-ol`), then, whether the build passed or
failed:

- copies dbt's target/run_results.json to the lake (s3://$DATAFLOW_RUN_RESULTS_BUCKET/$DBT_RUN_RESULTS_KEY, a key
  per window set by the state machine), so on-call can read which model or test failed;
- copies the build's OpenLineage events to the lake (s3://$DATAFLOW_LINEAGE_BUCKET/lineage/openlineage/dt=/hr=/);
- sends them to the OpenLineage endpoint when one is configured (OPENLINEAGE_URL, OPENLINEAGE_ENDPOINT, bearer
  OPENLINEAGE_API_KEY), within DATAFLOW_LINEAGE_TIMEOUT_MS per event and stopping at the first failure.

dbt-ol writes its events to a file (its file transport) rather than to the endpoint: its HTTP transport sends each
event synchronously with retries, so an unreachable endpoint would hold the task for events x timeout x retries.
The exit code is dbt's: the state machine judges the build; a failed upload or delivery is logged (undelivered
events as one JSON line, counted as the LineageEmitFailures metric) and does not change it.
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

PROJECT_DIR = "/dbt"
SERVICE = "batch-dbt"


def build_command(env: Mapping[str, str]) -> list[str]:
    """`dbt-ol build --target <env> --vars {as_of_date: ...}` for this window."""
    as_of = env["DBT_AS_OF_DATE"]
    return ["dbt-ol", "build", "--project-dir", PROJECT_DIR, "--profiles-dir", PROJECT_DIR,
            "--target", env["DBT_TARGET"], "--vars", f"{{as_of_date: '{as_of}'}}"]


def lineage_environment(env: Mapping[str, str], events_file: str) -> dict[str, str]:
    """dbt-ol's environment: its events appended to `events_file`, in the configured job namespace."""
    out = {k: v for k, v in env.items() if not k.startswith("OPENLINEAGE__")}
    out.update({"OPENLINEAGE__TRANSPORT__TYPE": "file", "OPENLINEAGE__TRANSPORT__LOG_FILE_PATH": events_file,
                "OPENLINEAGE__TRANSPORT__APPEND": "true"})
    return out


def lineage_key(now: datetime, run: str) -> str:
    """The lake copy's key: lineage/openlineage/dt=YYYY-MM-DD/hr=HH/dbt.<run>.ndjson (lambda/contracts/lake-keys.ts)."""
    return f"lineage/openlineage/dt={now:%Y-%m-%d}/hr={now:%H}/dbt.{run}.ndjson"


def post_event(url: str, body: bytes, api_key: str | None, timeout_s: float) -> None:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {api_key}"} if api_key else {})}
    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers, method="POST"), timeout=timeout_s) as res:
        if res.status >= 300:
            raise RuntimeError(f"{url} answered HTTP {res.status}")


def report_undelivered(transport: str, events: int, error: object) -> None:
    """One JSON line the task's log group metric filter counts (LineageEmitFailures by Transport)."""
    print(json.dumps({"lineage": "not delivered", "service": SERVICE, "transport": transport, "events": events,
                      "error": str(error)}), file=sys.stderr)


def send_to_endpoint(env: Mapping[str, str], events: list[str], post: Callable[..., None]) -> None:
    """Every event to OPENLINEAGE_URL + OPENLINEAGE_ENDPOINT; the first failure stops the rest (all counted)."""
    url = env["OPENLINEAGE_URL"].rstrip("/") + "/" + env.get("OPENLINEAGE_ENDPOINT", "api/v1/lineage").lstrip("/")
    timeout_s = int(env.get("DATAFLOW_LINEAGE_TIMEOUT_MS", "2000")) / 1000
    for i, event in enumerate(events):
        try:
            post(url, event.encode("utf-8"), env.get("OPENLINEAGE_API_KEY") or None, timeout_s)
        except Exception as err:  # noqa: BLE001 - any delivery failure is counted, dbt's result stands
            report_undelivered("endpoint", len(events) - i, err)
            return
    print(f"{len(events)} OpenLineage events sent to {url}")


def s3_upload(path: str, bucket: str, key: str) -> None:
    import boto3  # installed with dbt-redshift (redshift_connector)

    boto3.client("s3").upload_file(path, bucket, key)


def upload_run_results(env: Mapping[str, str], code: int, upload: Callable[[str, str, str], None], project_dir: str) -> None:
    bucket, key = env.get("DATAFLOW_RUN_RESULTS_BUCKET"), env.get("DBT_RUN_RESULTS_KEY")
    results = os.path.join(project_dir, "target", "run_results.json")
    if not bucket or not key:
        print("run_results.json not uploaded: DATAFLOW_RUN_RESULTS_BUCKET or DBT_RUN_RESULTS_KEY is not set", file=sys.stderr)
    elif not os.path.exists(results):
        print(f"run_results.json not uploaded: dbt wrote no {results} (exit code {code})", file=sys.stderr)
    else:
        try:
            upload(results, bucket, key)
            print(f"run_results.json uploaded to s3://{bucket}/{key}")
        except Exception as err:  # noqa: BLE001 - any upload failure is reported, dbt's result stands
            print(f"run_results.json upload to s3://{bucket}/{key} failed: {err}", file=sys.stderr)


def ship_lineage(env: Mapping[str, str], events_file: str, upload: Callable[[str, str, str], None],
                 post: Callable[..., None], now: datetime) -> None:
    """The build's events to the lake (always) and to the endpoint (when configured)."""
    if not os.path.exists(events_file):
        print("no OpenLineage events: dbt-ol wrote none", file=sys.stderr)
        return
    with open(events_file, encoding="utf-8") as f:
        events = [line for line in f.read().splitlines() if line.strip()]
    bucket = env.get("DATAFLOW_LINEAGE_BUCKET")
    if bucket:
        key = lineage_key(now, str(uuid.uuid4()))
        try:
            upload(events_file, bucket, key)
            print(f"{len(events)} OpenLineage events copied to s3://{bucket}/{key}")
        except Exception as err:  # noqa: BLE001 - the lake copy failing never fails the build
            report_undelivered("lake", len(events), err)
    if env.get("OPENLINEAGE_URL"):
        send_to_endpoint(env, events, post)


def main(env: Mapping[str, str] = os.environ, run: Callable[..., int] = subprocess.call,
         upload: Callable[[str, str, str], None] = s3_upload, project_dir: str = PROJECT_DIR,
         post: Callable[..., None] = post_event, now: datetime | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        events_file = os.path.join(tmp, "openlineage.ndjson")
        code = run(build_command(env), env=lineage_environment(env, events_file))
        upload_run_results(env, code, upload, project_dir)
        ship_lineage(env, events_file, upload, post, now or datetime.now(UTC))
    return code


if __name__ == "__main__":
    sys.exit(main())
