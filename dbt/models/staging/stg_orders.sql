{#- Order headers, latest version per order_id; order_date is the UTC date part of order_ts. -#}
with ranked as (
    select
        *,
        row_number()
            over (partition by order_id order by updated_at desc, status asc, order_ts asc, customer_id asc, currency asc)
            as version_rank
    from {{ source('bronze', 'orders') }}
)

select
    order_id,
    customer_id,
    order_ts,
    cast(order_ts as date) as order_date,
    lower(trim(status)) as status,
    upper(trim(currency)) as currency,
    updated_at
from ranked
where version_rank = 1
