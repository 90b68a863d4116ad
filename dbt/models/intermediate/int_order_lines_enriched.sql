{#- Order lines with their order header and their product's latest version (line grain). -#}
select
    i.order_id,
    i.line_no,
    o.customer_id,
    o.order_ts,
    o.order_date,
    o.status,
    o.currency,
    i.product_id,
    p.product_name,
    p.category,
    i.quantity,
    i.unit_price,
    i.line_amount,
    cast(i.quantity * p.cost as decimal(18, 2)) as line_cost,
    o.updated_at
from {{ ref('stg_order_items') }} as i
inner join {{ ref('stg_orders') }} as o on i.order_id = o.order_id
left join {{ ref('stg_products') }} as p on i.product_id = p.product_id
