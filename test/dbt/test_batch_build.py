"""The dbt task's entrypoint: run_results.json and the OpenLineage events reach the lake after a passing and after a
failing build; the events reach the endpoint when one is configured, and an endpoint outage never changes the result."""

import http.server
import importlib.util
import json
import os
import pathlib
import threading
from datetime import UTC, datetime

import pytest

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "dbt" / "scripts" / "batch_build.py"
spec = importlib.util.spec_from_file_location("batch_build", SCRIPT)
batch_build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(batch_build)

ENV = {
    "DBT_TARGET": "prod",
    "DBT_AS_OF_DATE": "2026-06-01",
    "DATAFLOW_RUN_RESULTS_BUCKET": "lake-staging",
    "DBT_RUN_RESULTS_KEY": "dbt-runs/window=20260601t0900/run_results.json",
}


EVENTS = [
    '{"eventType": "START", "job": {"name": "dataflow.model.stg_orders"}}',
    '{"eventType": "COMPLETE", "job": {"name": "dataflow.model.stg_orders"}}',
]
NOW = datetime(2026, 6, 1, 11, 20, tzinfo=UTC)


def fake_dbt(tmp_path, exit_code, write_results=True, events=EVENTS):
    """dbt-ol as the task runs it: writes run_results.json and appends its events to its file transport's file."""

    def run(cmd, env):
        assert cmd[:2] == ["dbt-ol", "build"]
        assert cmd[cmd.index("--target") + 1] == "prod"
        assert cmd[cmd.index("--vars") + 1] == "{as_of_date: '2026-06-01'}"
        if write_results:
            (tmp_path / "target").mkdir(exist_ok=True)
            (tmp_path / "target" / "run_results.json").write_text(json.dumps({"results": [{"status": "error"}]}))
        if events:
            with open(env["OPENLINEAGE__TRANSPORT__LOG_FILE_PATH"], "a", encoding="utf-8") as f:
                f.write("\n".join(events) + "\n")
        return exit_code

    return run


def run_results_uploads(uploads):
    return [u for u in uploads if u[2].startswith("dbt-runs/")]


@pytest.mark.parametrize("exit_code", [0, 1, 2])
def test_run_results_uploaded_whatever_the_build_result(tmp_path, exit_code):
    uploads = []
    code = batch_build.main(ENV, fake_dbt(tmp_path, exit_code), lambda *a: uploads.append(a), str(tmp_path))
    assert code == exit_code
    assert run_results_uploads(uploads) == [
        (str(tmp_path / "target" / "run_results.json"), "lake-staging", "dbt-runs/window=20260601t0900/run_results.json")
    ]


def test_a_failed_upload_keeps_dbts_exit_code_and_is_reported(tmp_path, capsys):
    def broken(*_):
        raise RuntimeError("AccessDenied")

    assert batch_build.main(ENV, fake_dbt(tmp_path, 0, events=[]), broken, str(tmp_path)) == 0
    assert "upload to s3://lake-staging/dbt-runs/window=20260601t0900/run_results.json failed: AccessDenied" in capsys.readouterr().err


def test_no_results_file_or_no_destination_is_reported(tmp_path, capsys):
    assert (
        batch_build.main(ENV, fake_dbt(tmp_path, 2, write_results=False, events=[]), lambda *a: pytest.fail("no upload"), str(tmp_path))
        == 2
    )
    assert "dbt wrote no" in capsys.readouterr().err
    env = {k: v for k, v in ENV.items() if k != "DBT_RUN_RESULTS_KEY"}
    assert batch_build.main(env, fake_dbt(tmp_path, 0, events=[]), lambda *a: pytest.fail("no upload"), str(tmp_path)) == 0
    assert "DBT_RUN_RESULTS_KEY is not set" in capsys.readouterr().err


LINEAGE_ENV = {**ENV, "DATAFLOW_LINEAGE_BUCKET": "lake-staging", "OPENLINEAGE_NAMESPACE": "dataflow-prod"}
ENDPOINT_ENV = {
    **LINEAGE_ENV,
    "OPENLINEAGE_URL": "https://marquez.internal:5000",
    "OPENLINEAGE_ENDPOINT": "api/v1/lineage",
    "OPENLINEAGE_API_KEY": "k-123",
    "DATAFLOW_LINEAGE_TIMEOUT_MS": "1500",
}


def test_dbt_ol_writes_its_events_to_a_file_in_the_configured_namespace(tmp_path):
    """The variables are the ones the pinned openlineage-python reads: its client resolves a file transport."""
    from openlineage.client import OpenLineageClient

    env = batch_build.lineage_environment({**ENDPOINT_ENV, "OPENLINEAGE__TRANSPORT__TYPE": "http"}, str(tmp_path / "ol.ndjson"))
    assert env["OPENLINEAGE_NAMESPACE"] == "dataflow-prod"
    assert env["OPENLINEAGE__TRANSPORT__TYPE"] == "file"
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        transport = OpenLineageClient().transport
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert transport.kind == "file"
    assert transport.config.append
    assert transport.config.log_file_path == str(tmp_path / "ol.ndjson")


@pytest.mark.parametrize("exit_code", [0, 1])
def test_events_copied_to_the_lake_whatever_the_build_result(tmp_path, exit_code):
    uploads, copied = [], []

    def upload(path, bucket, key):
        uploads.append((bucket, key))
        if key.startswith("lineage/"):
            copied.append(pathlib.Path(path).read_text().splitlines())

    code = batch_build.main(
        LINEAGE_ENV, fake_dbt(tmp_path, exit_code), upload, str(tmp_path), post=lambda *a: pytest.fail("no endpoint"), now=NOW
    )
    assert code == exit_code
    lineage = [k for b, k in uploads if k.startswith("lineage/")]
    assert len(lineage) == 1
    assert lineage[0].startswith("lineage/openlineage/dt=2026-06-01/hr=11/dbt.")
    assert lineage[0].endswith(".ndjson")
    assert copied == [EVENTS]


def test_events_sent_to_the_endpoint_with_the_bearer_key(tmp_path):
    posts = []
    batch_build.main(ENDPOINT_ENV, fake_dbt(tmp_path, 0), lambda *a: None, str(tmp_path), post=lambda *a: posts.append(a), now=NOW)
    assert posts == [("https://marquez.internal:5000/api/v1/lineage", e.encode(), "k-123", 1.5) for e in EVENTS]


def test_endpoint_down_stops_at_the_first_failure_counts_the_rest_and_keeps_dbts_exit_code(tmp_path, capsys):
    attempts = []

    def refused(*a):
        attempts.append(a)
        raise ConnectionRefusedError("Connection refused")

    assert batch_build.main(ENDPOINT_ENV, fake_dbt(tmp_path, 0), lambda *a: None, str(tmp_path), post=refused, now=NOW) == 0
    assert len(attempts) == 1
    line = [json.loads(row) for row in capsys.readouterr().err.splitlines() if row.startswith("{")]
    assert line == [
        {"lineage": "not delivered", "service": "batch-dbt", "transport": "endpoint", "events": 2, "error": "Connection refused"}
    ]


def test_a_failed_lake_copy_is_counted_and_the_endpoint_still_gets_the_events(tmp_path, capsys):
    posts = []

    def upload(path, bucket, key):
        if key.startswith("lineage/"):
            raise RuntimeError("AccessDenied")

    assert batch_build.main(ENDPOINT_ENV, fake_dbt(tmp_path, 1), upload, str(tmp_path), post=lambda *a: posts.append(a), now=NOW) == 1
    assert '"transport": "lake", "events": 2' in capsys.readouterr().err
    assert len(posts) == 2


def test_post_event_sends_json_with_the_bearer_key_and_rejects_an_error_status():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.path, self.headers["Authorization"], self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(201 if self.path == "/api/v1/lineage" else 500)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        batch_build.post_event(f"{base}/api/v1/lineage", b'{"eventType": "START"}', "k-123", 2)
        assert received == [("/api/v1/lineage", "Bearer k-123", b'{"eventType": "START"}')]
        with pytest.raises(Exception, match="500"):
            batch_build.post_event(f"{base}/wrong", b"{}", None, 2)
    finally:
        server.shutdown()
