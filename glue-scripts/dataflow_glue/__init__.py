"""DataFlow Glue transformations: pure DataFrame -> DataFrame functions.

Nothing in this package imports ``awsglue``; the thin job entries in ``jobs/`` do, and fall back to a plain
SparkSession when run locally with ``spark-submit``.
"""
