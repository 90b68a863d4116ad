"""Column-level lineage of every dbt model and snapshot, from the compiled SQL of a built project.

Reads ``target/manifest.json`` (after ``dbt build``) and the built DuckDB warehouse (for the columns behind
``select *``), traces each output column with sqlglot to the columns of the relations it reads, and writes JSON::

    {"nodes": {"<unique_id>": {"relation": "schema.table",
                               "columns": {"<column>": [{"relation": "schema.table", "column": "<c>"}]},
                               "parameters": ["<column computed from no relation, e.g. a var>"]}}}

Usage: python dbt_column_lineage.py --manifest dbt/target/manifest.json --duckdb .local/warehouse.duckdb --out x.json
"""
from __future__ import annotations

import argparse
import json
import sys

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage

# Columns dbt adds to a snapshot, and which column of the snapshot's own select each is computed from.
SNAPSHOT_META = {"dbt_scd_id": "unique_key", "dbt_updated_at": "updated_at", "dbt_valid_from": "updated_at", "dbt_valid_to": "updated_at"}


def warehouse_schema(path: str) -> dict:
    """{schema: {table: {column: type}}} of every relation in the DuckDB file."""
    con = duckdb.connect(path, read_only=True)
    try:
        rows = con.execute("select table_schema, table_name, column_name, data_type from information_schema.columns").fetchall()
    finally:
        con.close()
    schema: dict = {}
    for sch, tab, col, typ in rows:
        schema.setdefault(sch, {}).setdefault(tab, {})[col] = typ
    return schema


def relation_of(node: dict) -> str:
    return f"{node['schema']}.{node.get('alias') or node['name']}"


def real_tables(select: exp.Expression, query: exp.Expression) -> list[exp.Table]:
    """The warehouse relations a select reads, with CTE names replaced by what those CTEs read."""
    ctes = {cte.alias: cte.this for cte in query.find_all(exp.CTE)}
    found, seen = [], set()
    pending = list(select.find_all(exp.Table))
    while pending:
        table = pending.pop()
        if table.db:
            found.append(table)
        elif table.name in ctes and table.name not in seen:
            seen.add(table.name)
            pending.extend(ctes[table.name].find_all(exp.Table))
    return found


def column_sources(column: str, select: exp.Expression, schema: dict) -> list[dict] | None:
    """The relation columns ``column`` is computed from (``*`` for a count of rows); None when it reads no relation
    (a constant or a var)."""
    root = lineage(column, select, schema=schema, dialect="duckdb")
    sources = []
    for node in root.walk():
        if node.downstream:
            continue
        if isinstance(node.expression, exp.Table):
            table = node.expression
            sources.append({"relation": f"{table.db}.{table.name}", "column": node.name.split(".")[-1]})
        elif isinstance(node.source, exp.Select) and node.expression.find(exp.Star) is not None:
            # An aggregate over rows (count(*)): computed from the rows of the relations the select reads.
            sources.extend({"relation": f"{t.db}.{t.name}", "column": "*"} for t in real_tables(node.source, select))
    unique = {(s["relation"], s["column"]): s for s in sources}
    return [unique[k] for k in sorted(unique)] or None


def node_lineage(node: dict, schema: dict) -> dict:
    select = sqlglot.parse_one(node["compiled_code"], dialect="duckdb")
    relation = relation_of(node)
    sch, tab = relation.split(".", 1)
    output_columns = list(schema.get(sch, {}).get(tab, {})) or list(node.get("columns", {}))
    columns, parameters = {}, []
    for column in output_columns:
        if node["resource_type"] == "snapshot" and column in SNAPSHOT_META:
            key = SNAPSHOT_META[column]
            source_column = node["config"].get(key) or "updated_at"
            sources = column_sources(source_column if isinstance(source_column, str) else source_column[0], select, schema)
        else:
            sources = column_sources(column, select, schema)
        if sources is None:
            parameters.append(column)
        else:
            columns[column] = sources
    return {"relation": relation, "columns": columns, "parameters": parameters}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--duckdb", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    with open(args.manifest, encoding="utf-8") as f:
        manifest = json.load(f)
    schema = warehouse_schema(args.duckdb)
    nodes = {}
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] in ("model", "snapshot") and node.get("compiled_code"):
            nodes[uid] = node_lineage(node, schema)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"nodes": nodes}, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
