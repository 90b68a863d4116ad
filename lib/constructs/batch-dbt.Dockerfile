# dbt for the hourly batch's Transform state (ECS Fargate). Built by CDK at deploy time only (DockerImageAsset);
# the build context is the repository root filtered down to dbt/ and requirements.txt.
# Pinned to a patch release (same Python minor as the local run); the CDK asset builds it for linux/arm64.
FROM public.ecr.aws/docker/library/python:3.11.14-slim-bookworm
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
COPY requirements.txt /tmp/requirements.txt
# Same pins as the local run: the lock is used as a constraints file. openlineage-dbt provides dbt-ol, which runs
# the build and records its OpenLineage events.
RUN pip install --no-cache-dir -c /tmp/requirements.txt dbt-core dbt-redshift openlineage-dbt && rm /tmp/requirements.txt
COPY dbt/ /dbt/
RUN rm -rf /dbt/target /dbt/logs /dbt/dbt_packages && useradd --uid 10001 --no-create-home dbt && chown -R dbt /dbt
USER 10001
WORKDIR /dbt
ENV DBT_PROFILES_DIR=/dbt DBT_TARGET=dev
# `dbt-ol build --target <env>` with the window's as_of_date, then run_results.json and the OpenLineage events to the
# lake and the events to the endpoint if one is set (pass or fail); the exit code is dbt's, and a non-zero one fails
# the state machine's Transform.
ENTRYPOINT ["python", "/dbt/scripts/batch_build.py"]
