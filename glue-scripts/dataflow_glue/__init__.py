"""DataFlow Glue transformations: pure DataFrame -> DataFrame functions.

Only ``job_entry`` imports ``awsglue``, lazily, for the thin job entries in ``jobs/``: it falls back to argparse and a
plain SparkSession when they run locally with ``spark-submit``.
"""
