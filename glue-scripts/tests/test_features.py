import datetime as dt
from decimal import Decimal

import pytest
from pyspark.sql import functions as F

from dataflow_glue.features import customer_features, summary_statistics
from dataflow_glue.rules import rule_column
from dataflow_glue.specs import typed_schema

AS_OF = dt.date(2026, 6, 30)
T1 = dt.datetime(2026, 1, 1, 0, 0)
T2 = dt.datetime(2026, 6, 1, 12, 0)
D = Decimal


def frames(spark, specs):
    customers = [
        ("C00000001", "x@example.com", "Ada", "Ng", dt.date(2025, 1, 1), None, "basic", T1),
        ("C00000001", " Ada@Example.COM ", "Ada", "Ng", dt.date(2025, 1, 1), None, "premium", T2),
        ("C00000002", "not-an-email", "Bo", "Silva", dt.date(2025, 1, 1), None, "basic", T1),
        ("C00000003", "c3@example.com", "Chen", "Sato", dt.date(2025, 1, 1), None, "standard", T1),
        ("C00000004", "ada@example.com", "Ada", "Twin", dt.date(2025, 1, 1), None, None, T1),
        ("C00000005", "c5@example.org", "Dara", "Berg", dt.date(2025, 1, 1), None, "  ", T1),
    ]
    products = [
        ("P000001", "Novel", "books", D("10.00"), D("5.00"), T1),
        ("P000002", "Robot", "toys", D("5.00"), D("2.00"), T1),
        ("P000003", "Vase", "garden", D("50.00"), D("20.00"), T1),
        ("P000003", "Vase", "home", D("50.00"), D("20.00"), T2),
    ]
    ts = lambda d: dt.datetime.combine(d, dt.time(23, 59))  # noqa: E731
    orders = [
        ("O0000000001", "C00000001", ts(dt.date(2026, 6, 25)), "paid", "EUR", T2),
        ("O0000000002", "C00000001", ts(dt.date(2026, 3, 1)), "shipped", "EUR", T1),
        ("O0000000002", "C00000001", ts(dt.date(2026, 3, 1)), "delivered", "EUR", T2),
        ("O0000000003", "C00000001", ts(dt.date(2025, 12, 1)), "cancelled", "EUR", T2),
        ("O0000000004", "C00000001", ts(dt.date(2026, 7, 2)), "paid", "EUR", T2),
        ("O0000000005", "C00000001", ts(dt.date(2025, 11, 15)), "shipped", "EUR", T1),
        ("O0000000006", "C00000004", ts(dt.date(2025, 10, 10)), "delivered", "EUR", T1),
        ("O0000000007", "C00000002", ts(dt.date(2026, 6, 1)), "paid", "EUR", T1),
    ]
    items = [
        ("O0000000001", 1, "P000001", 2, D("10.00"), T2),
        ("O0000000001", 2, "P000002", 1, D("5.00"), T2),
        ("O0000000002", 1, "P000003", 1, D("100.00"), T1),
        ("O0000000002", 2, "P000001", 1, D("10.00"), T1),
        ("O0000000002", 1, "P000003", 1, D("50.00"), T2),
        ("O0000000003", 1, "P000001", 9, D("10.00"), T2),
        ("O0000000004", 1, "P000001", 9, D("10.00"), T2),
        ("O0000000006", 1, "P000002", 1, D("10001.00"), T1),
        ("O0000000007", 1, "P000002", 1, D("1.00"), T1),
    ]
    mk = lambda t, rows: spark.createDataFrame(rows, typed_schema(specs[t]))  # noqa: E731
    return mk("customers", customers), mk("products", products), mk("orders", orders), mk("order_items", items)


@pytest.fixture(scope="module")
def features(spark, specs, rules):
    c, p, o, i = frames(spark, specs)
    return {r.customer_id: r for r in customer_features(c, p, o, i, specs, rules, AS_OF).collect()}


def test_population_is_customer_360s(features):
    assert sorted(features) == ["C00000001", "C00000003", "C00000004", "C00000005"]
    assert features["C00000001"].customer_segment == "premium"
    assert features["C00000004"].customer_segment == "unknown"
    assert features["C00000005"].customer_segment == "unknown"


def test_counted_orders_latest_versions_and_exact_amounts(features):
    c1 = features["C00000001"]
    # O1 25.00 + O2 (latest lines only) 50.00 + O5 without lines 0.00; cancelled and future orders excluded
    assert (c1.total_transactions, c1.total_spent, c1.avg_transaction_amount) == (3, D("75.00"), D("25.00"))
    assert (c1.min_order_value, c1.max_order_value) == (D("0.00"), D("50.00"))
    assert (c1.first_transaction_date, c1.last_transaction_date) == (dt.date(2025, 11, 15), dt.date(2026, 6, 25))
    assert c1.customer_lifetime_days == 222
    assert c1.days_since_last_transaction == 5
    assert c1.avg_days_between_purchases == 111.0
    assert (c1.q1_revenue, c1.q2_revenue, c1.q3_revenue, c1.q4_revenue, c1.q4_transactions) == (
        D("50.00"),
        D("25.00"),
        D("0.00"),
        D("0.00"),
        1,
    )
    assert (c1.category_diversity, c1.top_categories) == (3, "books, home, toys")
    assert (c1.value_tier, c1.lifecycle_stage) == ("low_value", "active")
    assert (c1.recency_score, c1.frequency_score, c1.monetary_score, c1.rfm_score, c1.rfm_segment) == (5, 1, 1, 7, "potential_loyalists")


def test_customer_without_orders(features):
    c3 = features["C00000003"]
    assert (c3.total_transactions, c3.total_spent, c3.avg_transaction_amount, c3.customer_lifetime_days) == (0, D("0.00"), D("0.00"), 0)
    assert (c3.first_transaction_date, c3.last_transaction_date, c3.days_since_last_transaction, c3.avg_days_between_purchases) == (
        None,
        None,
        None,
        None,
    )
    assert (c3.category_diversity, c3.top_categories) == (0, None)
    assert (c3.value_tier, c3.lifecycle_stage, c3.rfm_score, c3.rfm_segment) == ("no_purchases", "churned", 3, "at_risk")


def test_high_value_customer(features):
    c4 = features["C00000004"]
    assert (c4.total_spent, c4.value_tier, c4.monetary_score, c4.lifecycle_stage, c4.recency_score) == (
        D("10001.00"),
        "high_value",
        5,
        "dormant",
        1,
    )


@pytest.mark.parametrize(
    ("section", "part", "output", "value", "expected"),
    [
        ("value_tier", None, "value", "10000.00", "medium_value"),
        ("value_tier", None, "value", "10000.01", "high_value"),
        ("value_tier", None, "value", "1000.00", "low_value"),
        ("value_tier", None, "value", "0.00", "no_purchases"),
        ("lifecycle_stage", None, "value", 30, "active"),
        ("lifecycle_stage", None, "value", 31, "at_risk"),
        ("lifecycle_stage", None, "value", 365, "dormant"),
        ("lifecycle_stage", None, "value", 366, "churned"),
        ("lifecycle_stage", None, "value", None, "churned"),
        ("rfm", "recency", "score", 180, 2),
        ("rfm", "recency", "score", 181, 1),
        ("rfm", "frequency", "score", 50, 5),
        ("rfm", "frequency", "score", 49, 4),
        ("rfm", "frequency", "score", 4, 1),
        ("rfm", "monetary", "score", "9999.99", 4),
        ("rfm", "monetary", "score", "10000.00", 5),
        ("rfm", "segment", "value", 12, "champions"),
        ("rfm", "segment", "value", 11, "loyal_customers"),
        ("rfm", "segment", "value", 8, "potential_loyalists"),
        ("rfm", "segment", "value", 5, "at_risk"),
    ],
)
def test_rule_edges_from_customer_rules_yml(spark, rules, section, part, output, value, expected):
    ruleset = rules[section][part] if part else rules[section]
    col = F.lit(value).cast("decimal(18,2)") if isinstance(value, str) else F.lit(value).cast("int")
    assert spark.range(1).select(rule_column(col, ruleset, output).alias("v")).first().v == expected


def test_summary_statistics(spark, specs, rules):
    c, p, o, i = frames(spark, specs)
    s = summary_statistics(customer_features(c, p, o, i, specs, rules, AS_OF), AS_OF).first()
    assert (s.total_customers, s.total_platform_revenue, s.value_tier_no_purchases, s.value_tier_high_value) == (4, D("10076.00"), 2, 1)
    assert s.avg_rfm_score == pytest.approx((7 + 3 + 7 + 3) / 4)


def test_output_schema_matches_the_catalog_declaration(spark, specs, rules):
    """lambda/contracts/glue-args.ts CUSTOMER_FEATURES_COLUMNS declares the Glue Data Catalog table of this output."""
    import json
    import subprocess

    from conftest import ROOT

    out = subprocess.run(
        [
            "node",
            "--require",
            "ts-node/register/transpile-only",
            "-e",
            "console.log(JSON.stringify(require('./lambda/contracts/glue-args').CUSTOMER_FEATURES_COLUMNS))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    declared = [(c["name"], c["type"]) for c in json.loads(out.stdout)]
    c, p, o, i = frames(spark, specs)
    df = customer_features(c, p, o, i, specs, rules, AS_OF).drop("as_of_date")
    assert [(f.name, f.dataType.simpleString()) for f in df.schema] == declared
