{#- Per product over counted order lines: units, revenue, orders, cost; and revenue in the as_of month and the month before. -#}
{%- set month_start = dbt.date_trunc('month', as_of_date()) -%}
with lines as (
    select l.*
    from {{ ref('int_order_lines_enriched') }} as l
    inner join {{ ref('int_counted_orders') }} as o on l.order_id = o.order_id
)

select
    product_id,
    cast(sum(quantity) as integer) as units_sold,
    cast(sum(line_amount) as decimal(18, 2)) as revenue,
    cast(count(distinct order_id) as integer) as orders,
    cast(sum(line_cost) as decimal(18, 2)) as cost_of_goods,
    min(order_date) as first_sale_date,
    max(order_date) as last_sale_date,
    cast(sum(case when order_date >= cast({{ month_start }} as date) then line_amount else 0 end) as decimal(18, 2))
        as revenue_current_month,
    cast(sum(
        case
            when
                order_date >= cast({{ dbt.dateadd('month', -1, month_start) }} as date)
                and order_date < cast({{ month_start }} as date)
                then line_amount
            else 0
        end
    ) as decimal(18, 2)) as revenue_previous_month
from lines
group by product_id
