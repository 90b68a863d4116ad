{#-
  Order lines of each order's latest version (lines are versioned by their order's updated_at), latest version per
  (order_id, line_no). line_amount = quantity × unit_price, exact DECIMAL.
-#}
with ranked as (
    select
        *,
        row_number() over (
            partition by order_id, line_no
            order by updated_at desc, product_id asc, quantity asc, unit_price asc
        ) as version_rank,
        max(updated_at) over (partition by order_id) as order_version
    from {{ source('bronze', 'order_items') }}
)

select
    order_id,
    line_no,
    product_id,
    quantity,
    cast(unit_price as decimal(12, 2)) as unit_price,
    cast(quantity * unit_price as decimal(18, 2)) as line_amount,
    updated_at
from ranked
where version_rank = 1 and updated_at = order_version
