"""The context of a Glue job entry (``jobs/*.py``): its arguments, its SparkSession and, on AWS Glue, its Job."""

import argparse

from pyspark.sql import SparkSession


def job_context(argv, app_name, arg_names):
    """Returns ``(args, spark, job)`` for the required ``--name value`` arguments ``arg_names``.

    On AWS Glue the arguments come from getResolvedOptions (with ``JOB_NAME``) and ``job`` is the initialised Job, to
    commit at the end. Under a local ``spark-submit`` (no awsglue) argparse reads the same arguments, the session is
    named ``app_name`` and ``job`` is None.
    """
    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job
        from awsglue.utils import getResolvedOptions
        from pyspark.context import SparkContext
    except ImportError:
        parser = argparse.ArgumentParser()
        for name in arg_names:
            parser.add_argument(f"--{name}", required=True)
        args = vars(parser.parse_known_args(argv[1:])[0])
        return args, SparkSession.builder.appName(app_name).getOrCreate(), None
    args = getResolvedOptions(argv, ["JOB_NAME", *arg_names])
    glue = GlueContext(SparkContext.getOrCreate())
    job = Job(glue)
    job.init(args["JOB_NAME"], args)
    return args, glue.spark_session, job
