{#-
  Gold revenue equals silver revenue, to the cent: counted orders (not cancelled, order date ≤ as_of_date) summed
  from silver order lines must equal the same orders in fct_orders and the total of product_performance.
  Returns a row (fails) when any of the three differ.
-#}
with silver as (
    select coalesce(sum(i.line_amount), 0) as revenue
    from {{ ref('stg_order_items') }} as i
    inner join {{ ref('stg_orders') }} as o on i.order_id = o.order_id
    where o.status <> 'cancelled' and o.order_date <= {{ as_of_date() }}
),

fct as (
    select coalesce(sum(order_amount), 0) as revenue
    from {{ ref('fct_orders') }}
    where not is_cancelled and order_date <= {{ as_of_date() }}
),

products as (
    select coalesce(sum(revenue), 0) as revenue
    from {{ ref('product_performance') }}
)

select
    silver.revenue as silver_revenue,
    fct.revenue as fct_orders_revenue,
    products.revenue as product_revenue
from silver cross join fct cross join products
where silver.revenue <> fct.revenue or silver.revenue <> products.revenue
