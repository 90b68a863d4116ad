{#- Product catalogue, latest version per product_id. -#}
with ranked as (
    select
        *,
        row_number() over (partition by product_id order by updated_at desc, name asc, category asc, price asc, cost asc) as version_rank
    from {{ source('bronze', 'products') }}
)

select
    product_id,
    trim(name) as product_name,
    lower(trim(category)) as category,
    cast(price as decimal(12, 2)) as price,
    cast(cost as decimal(12, 2)) as cost,
    updated_at
from ranked
where version_rank = 1
