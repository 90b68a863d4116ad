"""dbt's `modules` context: the Python modules macros may use."""

import re

__all__ = ["re"]
