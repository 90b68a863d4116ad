{#- Clickstream events, one row per event_id (a redelivered event keeps its latest arrival); generated test events
    (source 'synthetic', from the producer CLI) are left out. -#}
with ranked as (
    select
        *,
        row_number() over (partition by event_id order by arrival_time desc, session_id asc, url asc) as version_rank
    from {{ source('bronze', 'clickstream_events') }}
)

select
    event_id,
    event_type,
    occurred_at,
    cast(occurred_at as date) as event_date,
    session_id,
    customer_id,
    product_id,
    url,
    quantity,
    cart_value,
    item_count,
    arrival_time
from ranked
where
    version_rank = 1
    and coalesce(source, '') <> 'synthetic'
