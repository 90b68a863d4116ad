{#-
  One row per order (latest version), incremental on order_id: a run re-selects orders whose updated_at is newer
  than the newest already in the table minus var incremental_lookback_hours (late OLTP commits can carry an
  updated_at slightly older than rows already loaded), and replaces them (delete+insert on order_id, idempotent).
-#}
{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    dist=('order_id' if target.type == 'redshift' else none),
    sort=(['order_date'] if target.type == 'redshift' else none)
) }}

select
    cast(order_id as varchar(32)) as order_id,
    cast(customer_id as varchar(32)) as customer_id,
    order_ts,
    order_date,
    cast(status as varchar(32)) as status,
    cast(currency as varchar(3)) as currency,
    is_cancelled,
    cast(line_count as integer) as line_count,
    cast(units as integer) as units,
    cast(order_amount as decimal(18, 2)) as order_amount,
    cast(order_cost as decimal(18, 2)) as order_cost,
    cast(order_amount - order_cost as decimal(18, 2)) as gross_margin,
    updated_at
from {{ ref('int_orders_enriched') }}
{% if is_incremental() %}
where updated_at > (
    select {{ dbt.dateadd('hour', -1 * var('incremental_lookback_hours', 3), 'max(updated_at)') }} from {{ this }}
)
{% endif %}
