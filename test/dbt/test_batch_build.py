"""The dbt task's entrypoint: run_results.json reaches the lake after a passing and after a failing build."""
import importlib.util
import json
import pathlib

import pytest

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "dbt" / "scripts" / "batch_build.py"
spec = importlib.util.spec_from_file_location("batch_build", SCRIPT)
batch_build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(batch_build)

ENV = {"DBT_TARGET": "prod", "DBT_AS_OF_DATE": "2026-06-01", "DATAFLOW_RUN_RESULTS_BUCKET": "lake-staging",
       "DBT_RUN_RESULTS_KEY": "dbt-runs/window=20260601t0900/run_results.json"}


def fake_dbt(tmp_path, exit_code, write_results=True):
    def run(cmd):
        assert cmd[:2] == ["dbt", "build"]
        assert cmd[cmd.index("--target") + 1] == "prod"
        assert cmd[cmd.index("--vars") + 1] == "{as_of_date: '2026-06-01'}"
        if write_results:
            (tmp_path / "target").mkdir()
            (tmp_path / "target" / "run_results.json").write_text(json.dumps({"results": [{"status": "error"}]}))
        return exit_code
    return run


@pytest.mark.parametrize("exit_code", [0, 1, 2])
def test_run_results_uploaded_whatever_the_build_result(tmp_path, exit_code):
    uploads = []
    code = batch_build.main(ENV, fake_dbt(tmp_path, exit_code), lambda *a: uploads.append(a), str(tmp_path))
    assert code == exit_code
    assert uploads == [(str(tmp_path / "target" / "run_results.json"), "lake-staging", "dbt-runs/window=20260601t0900/run_results.json")]


def test_a_failed_upload_keeps_dbts_exit_code_and_is_reported(tmp_path, capsys):
    def broken(*_):
        raise RuntimeError("AccessDenied")
    assert batch_build.main(ENV, fake_dbt(tmp_path, 0), broken, str(tmp_path)) == 0
    assert "upload to s3://lake-staging/dbt-runs/window=20260601t0900/run_results.json failed: AccessDenied" in capsys.readouterr().err


def test_no_results_file_or_no_destination_is_reported(tmp_path, capsys):
    assert batch_build.main(ENV, fake_dbt(tmp_path, 2, write_results=False), lambda *a: pytest.fail("no upload"), str(tmp_path)) == 2
    assert "dbt wrote no" in capsys.readouterr().err
    env = {k: v for k, v in ENV.items() if k != "DBT_RUN_RESULTS_KEY"}
    assert batch_build.main(env, fake_dbt(tmp_path, 0), lambda *a: pytest.fail("no upload"), str(tmp_path)) == 0
    assert "DBT_RUN_RESULTS_KEY is not set" in capsys.readouterr().err
