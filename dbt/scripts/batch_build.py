"""Entrypoint of the hourly batch's dbt task (ECS Fargate).

Runs `dbt build` for the window's as_of_date, then copies dbt's target/run_results.json to the lake
(s3://$DATAFLOW_RUN_RESULTS_BUCKET/$DBT_RUN_RESULTS_KEY, a key per window set by the state machine) whether the
build passed or failed, so on-call can read which model or test failed. The exit code is dbt's: the state
machine judges the build; a failed upload is logged and does not change it.
"""
import os
import subprocess
import sys
from collections.abc import Callable, Mapping

PROJECT_DIR = "/dbt"


def build_command(env: Mapping[str, str]) -> list[str]:
    """`dbt build --target <env> --vars {as_of_date: ...}` for this window."""
    as_of = env["DBT_AS_OF_DATE"]
    return ["dbt", "build", "--project-dir", PROJECT_DIR, "--profiles-dir", PROJECT_DIR,
            "--target", env["DBT_TARGET"], "--vars", f"{{as_of_date: '{as_of}'}}"]


def s3_upload(path: str, bucket: str, key: str) -> None:
    import boto3  # installed with dbt-redshift (redshift_connector)

    boto3.client("s3").upload_file(path, bucket, key)


def main(env: Mapping[str, str] = os.environ, run: Callable[[list[str]], int] = subprocess.call,
         upload: Callable[[str, str, str], None] = s3_upload, project_dir: str = PROJECT_DIR) -> int:
    code = run(build_command(env))
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
    return code


if __name__ == "__main__":
    sys.exit(main())
