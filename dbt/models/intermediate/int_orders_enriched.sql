{#-
  One row per order (latest version) with its amount = Σ quantity × unit_price of its lines, exact decimal.
  An order without lines is worth 0.00 and still an order.
-#}
with lines as (
    select
        order_id,
        count(*) as line_count,
        sum(quantity) as units,
        sum(line_amount) as order_amount,
        sum(line_cost) as order_cost
    from {{ ref('int_order_lines_enriched') }}
    group by order_id
)

select
    o.order_id,
    o.customer_id,
    o.order_ts,
    o.order_date,
    o.status,
    o.currency,
    o.status = 'cancelled' as is_cancelled,
    cast(coalesce(l.line_count, 0) as integer) as line_count,
    cast(coalesce(l.units, 0) as integer) as units,
    cast(coalesce(l.order_amount, 0) as decimal(18, 2)) as order_amount,
    cast(coalesce(l.order_cost, 0) as decimal(18, 2)) as order_cost,
    o.updated_at
from {{ ref('stg_orders') }} as o
left join lines as l on o.order_id = l.order_id
