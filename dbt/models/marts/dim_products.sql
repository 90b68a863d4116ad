{#- Current product catalogue (latest version per product). -#}
{{ config(dist=('all' if target.type == 'redshift' else none)) }}

select
    cast(product_id as varchar(32)) as product_id,
    cast(product_name as varchar(256)) as product_name,
    cast(category as varchar(64)) as category,
    cast(price as decimal(12, 2)) as price,
    cast(cost as decimal(12, 2)) as cost,
    cast(price - cost as decimal(12, 2)) as unit_margin,
    updated_at
from {{ ref('stg_products') }}
