"""One shared local SparkSession (small shuffle) and the real table specs / customer rules of the repository."""
import json
import os
import pathlib
import subprocess
import sys

import pytest
from pyspark.sql import SparkSession

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "glue-scripts"))
sys.path.insert(0, str(ROOT / "glue-scripts" / "jobs"))


#: The class-data-sharing archive `make install` dumps (see the Makefile): maps Spark's classes instead of loading them.
CLASS_ARCHIVE = ROOT / ".venv" / "spark-classes.jsa"


@pytest.fixture(scope="session")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("glue-scripts-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.driver.extraJavaOptions", f"-XX:SharedArchiveFile={CLASS_ARCHIVE}" if CLASS_ARCHIVE.exists() else "")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spec_arguments():
    """The --table_specs / --stream_specs job arguments built from lambda/contracts/table-specs.ts, exactly as CDK passes them."""
    out = subprocess.run(
        [
            "node",
            "--require",
            "ts-node/register/transpile-only",
            "-e",
            "const a = require('./lambda/contracts/glue-args');"
            " console.log(JSON.stringify([a.tableSpecsArgument(), a.streamSpecsArgument()]))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip())


@pytest.fixture(scope="session")
def specs_json(spec_arguments):
    return spec_arguments[0]


@pytest.fixture(scope="session")
def stream_specs_json(spec_arguments):
    return spec_arguments[1]


@pytest.fixture(scope="session")
def stream_specs(stream_specs_json):
    from dataflow_glue.specs import load_specs

    return load_specs(stream_specs_json)


@pytest.fixture(scope="session")
def specs(specs_json):
    from dataflow_glue.specs import load_specs

    return load_specs(specs_json)


@pytest.fixture(scope="session")
def rules():
    from dataflow_glue.rules import load_rules

    return load_rules((ROOT / "dbt" / "customer_rules.yml").read_text())
