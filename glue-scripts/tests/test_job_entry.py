"""The job entries' context outside AWS Glue: argparse reads the arguments, the SparkSession is the local one, no Job."""

import sys

import pytest

from dataflow_glue.job_entry import job_context


@pytest.fixture
def without_awsglue(monkeypatch):
    """Imports of awsglue fail, as under a local spark-submit, even where it happens to be installed."""
    monkeypatch.setitem(sys.modules, "awsglue", None)


@pytest.mark.usefixtures("without_awsglue")
def test_the_local_context_parses_the_arguments_and_has_no_job(spark):
    args, session, job = job_context(["job.py", "--a", "x", "--b", "y"], "app", ["a", "b"])
    assert args == {"a": "x", "b": "y"}
    assert session is spark
    assert job is None


@pytest.mark.usefixtures("without_awsglue")
def test_a_missing_argument_stops_the_entry():
    with pytest.raises(SystemExit) as stopped:
        job_context(["job.py", "--a", "x"], "app", ["a", "b"])
    assert stopped.value.code == 2
