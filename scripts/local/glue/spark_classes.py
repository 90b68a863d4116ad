"""Runs the Glue job tests inside the spark-submit JVM, so that JVM loads every class the jobs use.

`make install` submits this with -XX:ArchiveClassesAtExit to dump the class-data-sharing archive that local
spark-submits (and the pytest session) then map instead of loading those classes again; see the Makefile.
"""
import sys

import pytest

sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "glue-scripts/tests/test_jobs.py"]))
