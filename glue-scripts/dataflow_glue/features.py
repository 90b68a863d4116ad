"""customer_features: the advanced analytics ETL on the conformed OLTP tables.

Per customer (the same population and definitions as dbt's ``customer_360``): RFM scores and segment, value tier
and lifecycle stage from dbt/customer_rules.yml, order-value statistics, quarterly revenue, category diversity,
top categories and average days between purchases; plus one row of summary statistics.

Inputs are conformed rows from any number of windows; the latest version of each key is taken here, exactly as
the warehouse load does (order lines belong to their order's latest version).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .conform import latest_per_key
from .rules import Rules, rule_column
from .specs import TableSpec

EMAIL_PATTERN = r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$"
MONEY = T.DecimalType(12, 2)
SUM_MONEY = T.DecimalType(18, 2)


def current_lines(items: DataFrame, spec: TableSpec) -> DataFrame:
    """Order lines of each order's latest version only (a newer order version replaces all its lines)."""
    latest = latest_per_key(items, spec)
    version = next(c for c in spec["columns"] if c["name"] == spec["versionColumn"])
    group = version.get("derivedFrom", {}).get("joinOn") or spec["primaryKey"]
    w = Window.partitionBy(*group)
    v = spec["versionColumn"]
    return latest.withColumn("__gv", F.max(v).over(w)).where(F.col(v) == F.col("__gv")).drop("__gv")


def counted_orders(orders: DataFrame, items: DataFrame, specs: Mapping[str, TableSpec], as_of: dt.date) -> DataFrame:
    """Latest version of each order, not cancelled, dated on/before as_of, with its exact amount (0.00 if no lines)."""
    o = latest_per_key(orders, specs["orders"])
    o = o.where((F.col("status") != "cancelled") & (F.to_date("order_ts") <= F.lit(as_of)))
    lines = current_lines(items, specs["order_items"])
    amounts = lines.groupBy("order_id").agg(F.sum(F.col("quantity").cast(SUM_MONEY) * F.col("unit_price")).cast(SUM_MONEY).alias("amount"))
    return o.join(amounts, "order_id", "left").select(
        "order_id",
        "customer_id",
        F.to_date("order_ts").alias("order_date"),
        F.coalesce(F.col("amount"), F.lit(0).cast(SUM_MONEY)).alias("amount"),
    )


def customer_features(
    customers: DataFrame,
    products: DataFrame,
    orders: DataFrame,
    items: DataFrame,
    specs: Mapping[str, TableSpec],
    rules: Rules,
    as_of: dt.date,
) -> DataFrame:
    """One row per customer of customer_360's population with RFM, tiers and purchase statistics."""
    cust = latest_per_key(customers, specs["customers"])
    cust = cust.withColumn("email_clean", F.lower(F.trim(F.col("email")))).where(F.col("email_clean").rlike(EMAIL_PATTERN))
    cust = cust.select(
        "customer_id",
        "email_clean",
        F.when(F.trim(F.coalesce(F.col("customer_segment"), F.lit(""))) == "", F.lit("unknown"))
        .otherwise(F.lower(F.trim(F.col("customer_segment"))))
        .alias("customer_segment"),
    )
    counted = counted_orders(orders, items, specs, as_of)
    is_q = lambda q: F.quarter("order_date") == q  # noqa: E731
    stats = counted.groupBy("customer_id").agg(
        F.count("*").alias("total_transactions"),
        F.sum("amount").cast(SUM_MONEY).alias("total_spent"),
        F.min("amount").alias("min_order_value"),
        F.max("amount").alias("max_order_value"),
        F.stddev_samp(F.col("amount").cast("double")).alias("order_value_stddev"),
        F.min("order_date").alias("first_transaction_date"),
        F.max("order_date").alias("last_transaction_date"),
        *[
            F.sum(F.when(is_q(q), F.col("amount")).otherwise(F.lit(0).cast(SUM_MONEY))).cast(SUM_MONEY).alias(f"q{q}_revenue")
            for q in (1, 2, 3, 4)
        ],
        F.sum(F.when(is_q(4), 1).otherwise(0)).alias("q4_transactions"),
    )

    lines = current_lines(items, specs["order_items"]).join(counted.select("order_id", "customer_id"), "order_id")
    prods = latest_per_key(products, specs["products"]).select("product_id", "category")
    cat_lines = lines.join(prods, "product_id", "left").where(F.col("category").isNotNull())
    per_cat = cat_lines.groupBy("customer_id", "category").agg(F.count("*").alias("n"))
    limit = int(rules["top_categories"]["limit"])
    rank = Window.partitionBy("customer_id").orderBy(F.col("n").desc(), F.col("category").asc())
    top = (
        per_cat.withColumn("rk", F.row_number().over(rank))
        .where(F.col("rk") <= limit)
        .groupBy("customer_id")
        .agg(
            F.array_join(
                F.transform(F.array_sort(F.collect_list(F.struct("rk", "category"))), lambda s: s["category"]),
                rules["top_categories"]["separator"],
            ).alias("top_categories")
        )
    )
    diversity = per_cat.groupBy("customer_id").agg(F.count("*").alias("category_diversity"))

    zero = F.lit(0).cast(SUM_MONEY)
    f = (
        cust.join(stats, "customer_id", "left")
        .join(diversity, "customer_id", "left")
        .join(top, "customer_id", "left")
        .select(
            "customer_id",
            "customer_segment",
            F.coalesce("total_transactions", F.lit(0)).cast("int").alias("total_transactions"),
            F.coalesce("total_spent", zero).alias("total_spent"),
            F.when(F.col("total_transactions") > 0, F.round(F.col("total_spent") / F.col("total_transactions"), 2))
            .otherwise(zero)
            .cast(SUM_MONEY)
            .alias("avg_transaction_amount"),
            F.col("min_order_value").cast(SUM_MONEY).alias("min_order_value"),
            F.col("max_order_value").cast(SUM_MONEY).alias("max_order_value"),
            F.round("order_value_stddev", 2).alias("order_value_stddev"),
            "first_transaction_date",
            "last_transaction_date",
            F.coalesce(F.datediff("last_transaction_date", "first_transaction_date"), F.lit(0)).alias("customer_lifetime_days"),
            F.datediff(F.lit(as_of), F.col("last_transaction_date")).alias("days_since_last_transaction"),
            F.when(
                F.col("total_transactions") > 1,
                F.round(F.datediff("last_transaction_date", "first_transaction_date") / (F.col("total_transactions") - 1), 2),
            ).alias("avg_days_between_purchases"),
            *[F.coalesce(f"q{q}_revenue", zero).alias(f"q{q}_revenue") for q in (1, 2, 3, 4)],
            F.coalesce("q4_transactions", F.lit(0)).cast("int").alias("q4_transactions"),
            F.coalesce("category_diversity", F.lit(0)).cast("int").alias("category_diversity"),
            "top_categories",
        )
    )
    rfm = rules["rfm"]
    f = (
        f.withColumn("value_tier", rule_column(F.col("total_spent"), rules["value_tier"], "value"))
        .withColumn("lifecycle_stage", rule_column(F.col("days_since_last_transaction"), rules["lifecycle_stage"], "value"))
        .withColumn("recency_score", rule_column(F.col("days_since_last_transaction"), rfm["recency"], "score").cast("int"))
        .withColumn("frequency_score", rule_column(F.col("total_transactions"), rfm["frequency"], "score").cast("int"))
        .withColumn("monetary_score", rule_column(F.col("total_spent"), rfm["monetary"], "score").cast("int"))
    )
    f = f.withColumn("rfm_score", F.col("recency_score") + F.col("frequency_score") + F.col("monetary_score"))
    return f.withColumn("rfm_segment", rule_column(F.col("rfm_score"), rfm["segment"], "value")).withColumn("as_of_date", F.lit(as_of))


def summary_statistics(features: DataFrame, as_of: dt.date) -> DataFrame:
    """One row: customers, average RFM score, platform revenue, customers per RFM segment and value tier."""
    seg = lambda col, v: F.sum(F.when(F.col(col) == v, 1).otherwise(0)).cast("int").alias(f"{col}_{v}")  # noqa: E731
    return features.agg(
        F.count("*").cast("int").alias("total_customers"),
        F.round(F.avg("rfm_score"), 4).alias("avg_rfm_score"),
        F.coalesce(F.sum("total_spent"), F.lit(0)).cast(SUM_MONEY).alias("total_platform_revenue"),
        *[seg("rfm_segment", v) for v in ("champions", "loyal_customers", "potential_loyalists", "at_risk")],
        *[seg("value_tier", v) for v in ("high_value", "medium_value", "low_value", "no_purchases")],
    ).withColumn("as_of_date", F.lit(as_of))
