"""OpenLineage events of the last dbt build, through the openlineage-dbt integration, as newline-delimited JSON.

Reads the project's ``target/manifest.json`` and ``run_results.json`` (of a ``dbt build``/``run``) and writes one
START and one COMPLETE/FAIL event per model, snapshot and test run to ``--out``.

Usage: python dbt_openlineage.py --project-dir dbt --profiles-dir dbt --target local --namespace dataflow-local --out x.ndjson
"""
from __future__ import annotations

import argparse
import sys

from openlineage.client.serde import Serde
from openlineage.common.provider.dbt.local import DbtLocalArtifactProcessor

PRODUCER = "https://github.com/dataflow-enterprises/dataflow-platform/scripts/local/lineage/dbt_openlineage.py"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", required=True)
    parser.add_argument("--profiles-dir", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    processor = DbtLocalArtifactProcessor(
        producer=PRODUCER,
        project_dir=args.project_dir,
        target=args.target,
        job_namespace=args.namespace,
        dbt_command_line=["dbt", "build", "--profiles-dir", args.profiles_dir, "--target", args.target],
    )
    processor.dbt_run_metadata = None
    events = processor.parse()
    with open(args.out, "w", encoding="utf-8") as f:
        for event in [*events.starts, *events.completes, *events.fails]:
            f.write(Serde.to_json(event) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
