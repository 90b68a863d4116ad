{#-
  One row per product (latest version) with sales over counted orders up to as_of_date: revenue, units, orders,
  margin, revenue rank within its category, and the monthly trend (as_of month vs the month before).
-#}
with sales as (
    select
        p.product_id,
        p.product_name,
        p.category,
        coalesce(s.units_sold, 0) as units_sold,
        coalesce(s.revenue, 0) as revenue,
        coalesce(s.orders, 0) as orders,
        coalesce(s.cost_of_goods, 0) as cost_of_goods,
        s.first_sale_date,
        s.last_sale_date,
        coalesce(s.revenue_current_month, 0) as revenue_current_month,
        coalesce(s.revenue_previous_month, 0) as revenue_previous_month
    from {{ ref('stg_products') }} as p
    left join {{ ref('int_product_sales') }} as s on p.product_id = s.product_id
)

select
    cast(product_id as varchar(32)) as product_id,
    cast(product_name as varchar(256)) as product_name,
    cast(category as varchar(64)) as category,
    cast(units_sold as integer) as units_sold,
    cast(revenue as decimal(18, 2)) as revenue,
    cast(orders as integer) as orders,
    cast(cost_of_goods as decimal(18, 2)) as cost_of_goods,
    cast(revenue - cost_of_goods as decimal(18, 2)) as gross_margin,
    cast({{ exact_division('revenue - cost_of_goods', 'revenue', 4) }} as decimal(18, 4)) as gross_margin_pct,
    cast(rank() over (partition by category order by revenue desc) as integer) as category_revenue_rank,
    first_sale_date,
    last_sale_date,
    cast(revenue_current_month as decimal(18, 2)) as revenue_current_month,
    cast(revenue_previous_month as decimal(18, 2)) as revenue_previous_month,
    cast(
        {{ exact_division('revenue_current_month - revenue_previous_month', 'revenue_previous_month', 4) }}
        as decimal(18, 4)
    ) as revenue_mom_change_pct,
    {{ as_of_date() }} as as_of_date
from sales
