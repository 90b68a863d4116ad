/**
 * An independent, plain-TypeScript implementation of the customer_360 contract, used to cross-check the
 * dbt model on the fixture: same inputs (the source CSVs, several versions per key), computed without SQL, in
 * integer cents, with the thresholds read from dbt/customer_rules.yml. `make warehouse-test` fails on any
 * difference in any column of any row.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { parseCsv } from './csv';

type Rule = { above?: number; at_most?: number; at_least?: number; value?: string; score?: number };
interface Section {
  rules: Rule[];
  default: string | number;
}
interface Rules {
  value_tier: Section;
  lifecycle_stage: Section;
  rfm: { recency: Section; frequency: Section; monetary: Section; segment: Section };
  top_categories: { limit: number; separator: string };
}

export type Row = Record<string, string | number | boolean | null>;
const EMAIL = /^[a-z0-9._%+-]+@[a-z0-9.-]+[.][a-z]{2,}$/;
const DAY = 86_400_000;

/** The rows of `<table>.csv` from every folder (an hourly delta is just another folder of versions). */
function readTable(dirs: readonly string[], table: string): Record<string, string>[] {
  return dirs.flatMap((dir) => {
    const [header, ...rows] = parseCsv(fs.readFileSync(path.join(dir, `${table}.csv`), 'utf8'));
    return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  });
}

/** The latest version per key (greatest updated_at). */
function latest(rows: Record<string, string>[], key: (r: Record<string, string>) => string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const k = key(r);
    const cur = out.get(k);
    if (!cur || r.updated_at > cur.updated_at) out.set(k, r);
  }
  return out;
}

const cents = (decimal: string) => {
  const [whole, frac = ''] = decimal.split('.');
  return Number(whole) * 100 + Math.sign(Number(whole) || 1) * Number((frac + '00').slice(0, 2));
};
const money = (c: number) => `${Math.trunc(c / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

function apply(section: Section, x: number | null): string | number {
  if (x !== null) {
    for (const r of section.rules) {
      const hit = r.above !== undefined ? x > r.above : r.at_most !== undefined ? x <= r.at_most : x >= (r.at_least as number);
      if (hit) return (r.value ?? r.score) as string | number;
    }
  }
  return section.default;
}

export function referenceCustomer360(sourceDirs: readonly string[], asOf: string, rulesFile: string): Row[] {
  const rules = parse(fs.readFileSync(rulesFile, 'utf8')) as Rules;
  const customers = latest(readTable(sourceDirs, 'customers'), (r) => r.customer_id);
  const products = latest(readTable(sourceDirs, 'products'), (r) => r.product_id);
  const orders = latest(readTable(sourceDirs, 'orders'), (r) => r.order_id);
  const items = readTable(sourceDirs, 'order_items');
  const orderVersion = new Map<string, string>();
  for (const i of items) if ((orderVersion.get(i.order_id) ?? '') < i.updated_at) orderVersion.set(i.order_id, i.updated_at);
  const lines = [...latest(items, (r) => `${r.order_id}|${r.line_no}`).values()].filter(
    (i) => i.updated_at === orderVersion.get(i.order_id),
  );

  const counted = new Map<string, { customer: string; date: string; cents: number; categories: string[] }>();
  for (const o of orders.values()) {
    const date = o.order_ts.slice(0, 10);
    if (o.status.trim().toLowerCase() !== 'cancelled' && date <= asOf)
      counted.set(o.order_id, { customer: o.customer_id, date, cents: 0, categories: [] });
  }
  for (const l of lines) {
    const o = counted.get(l.order_id);
    if (!o) continue;
    o.cents += Number(l.quantity) * cents(l.unit_price);
    const category = products.get(l.product_id)?.category.trim().toLowerCase();
    if (category) o.categories.push(category);
  }

  const rows: Row[] = [];
  for (const c of customers.values()) {
    const email = c.email.trim().toLowerCase();
    if (!EMAIL.test(email)) continue;
    const mine = [...counted.values()].filter((o) => o.customer === c.customer_id);
    const spent = mine.reduce((s, o) => s + o.cents, 0);
    const n = mine.length;
    const dates = mine.map((o) => o.date).sort();
    const first = dates[0] ?? null;
    const last = dates[dates.length - 1] ?? null;
    const since = last === null ? null : days(last, asOf);
    const q4 = mine.filter((o) => Number(o.date.slice(5, 7)) >= 10);
    const perCategory = new Map<string, number>();
    for (const cat of mine.flatMap((o) => o.categories)) perCategory.set(cat, (perCategory.get(cat) ?? 0) + 1);
    const ranked = [...perCategory.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([cat]) => cat);
    const r = apply(rules.rfm.recency, since) as number;
    const f = apply(rules.rfm.frequency, n) as number;
    const m = apply(rules.rfm.monetary, spent / 100) as number;
    const segment = c.customer_segment.trim() === '' ? 'unknown' : c.customer_segment.trim().toLowerCase();
    rows.push({
      customer_id: c.customer_id,
      email,
      first_name: c.first_name.trim() || null,
      last_name: c.last_name.trim() || null,
      registration_date: c.registration_date,
      customer_segment: segment,
      total_transactions: n,
      total_spent: money(spent),
      avg_transaction_amount: money(n === 0 ? 0 : Math.floor((2 * spent + n) / (2 * n))),
      first_transaction_date: first,
      last_transaction_date: last,
      customer_lifetime_days: first === null || last === null ? 0 : days(first, last),
      days_since_last_transaction: since,
      q4_transactions: q4.length,
      q4_spending: money(q4.reduce((s, o) => s + o.cents, 0)),
      value_tier: apply(rules.value_tier, spent / 100),
      lifecycle_stage: apply(rules.lifecycle_stage, since),
      recency_score: r,
      frequency_score: f,
      monetary_score: m,
      rfm_score: r + f + m,
      rfm_segment: apply(rules.rfm.segment, r + f + m),
      category_diversity: ranked.length,
      top_categories: ranked.length === 0 ? null : ranked.slice(0, rules.top_categories.limit).join(rules.top_categories.separator),
      as_of_date: asOf,
    });
  }
  return rows.sort((a, b) => String(a.customer_id).localeCompare(String(b.customer_id)));
}

/** Differences between the reference and the gold rows (both keyed by customer_id), at most `max`. */
export function compareRows(expected: readonly Row[], actual: readonly Row[], max = 20): string[] {
  const problems: string[] = [];
  const byId = new Map(actual.map((r) => [String(r.customer_id), r]));
  if (expected.length !== actual.length) problems.push(`row count: reference ${expected.length}, gold ${actual.length}`);
  for (const e of expected) {
    const a = byId.get(String(e.customer_id));
    if (!a) {
      problems.push(`${e.customer_id}: missing from gold.customer_360`);
      continue;
    }
    for (const [col, value] of Object.entries(e)) {
      const got = a[col] === null || a[col] === undefined ? null : String(a[col]);
      const want = value === null ? null : String(value);
      if (got !== want) problems.push(`${e.customer_id}.${col}: reference ${want}, gold ${got}`);
    }
    if (problems.length >= max) break;
  }
  return problems;
}
