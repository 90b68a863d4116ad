"""The customer-analytics rules of dbt/customer_rules.yml as Spark expressions (the one shared definition)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from pyspark.sql import Column
from pyspark.sql import functions as F

Rules = Mapping[str, Any]
_OPS = {"above": lambda c, v: c > v, "at_most": lambda c, v: c <= v, "at_least": lambda c, v: c >= v}


def load_rules(text: str) -> Rules:
    """Parses customer_rules.yml and checks its shape."""
    rules = yaml.safe_load(text)
    for section in ("value_tier", "lifecycle_stage", "rfm", "top_categories"):
        if section not in rules:
            raise ValueError(f"customer_rules.yml lacks {section!r}")
    for part in ("recency", "frequency", "monetary", "segment"):
        if part not in rules["rfm"]:
            raise ValueError(f"customer_rules.yml rfm lacks {part!r}")
    return rules


def rule_column(value: Column, ruleset: Mapping[str, Any], output: str) -> Column:
    """First matching rule wins (top to bottom); NULL input matches no rule and gets the default."""
    expr = None
    for rule in ruleset["rules"]:
        ops = [k for k in rule if k in _OPS]
        if len(ops) != 1:
            raise ValueError(f"rule {rule!r} must have exactly one of {sorted(_OPS)}")
        cond = _OPS[ops[0]](value, F.lit(rule[ops[0]]))
        expr = F.when(cond, F.lit(rule[output])) if expr is None else expr.when(cond, F.lit(rule[output]))
    default = F.lit(ruleset["default"])
    return default if expr is None else expr.otherwise(default)
