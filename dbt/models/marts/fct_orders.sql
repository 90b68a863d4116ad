{#-
  One row per order (latest version), incremental on order_id: a run re-selects every order whose row differs from
  the one in the table, or is not in it yet (EXCEPT against the table), and replaces it (delete+insert on order_id).
  No time watermark: a window loaded late, re-run or back-filled at any age and in any order reaches the table on the
  next build, so the table always equals a full rebuild from the same bronze.
-#}
{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    dist=('order_id' if target.type == 'redshift' else none),
    sort=(['order_date'] if target.type == 'redshift' else none)
) }}

with orders as (
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
)

select * from orders
{% if is_incremental() %}
    except
    select
        order_id,
        customer_id,
        order_ts,
        order_date,
        status,
        currency,
        is_cancelled,
        line_count,
        units,
        order_amount,
        order_cost,
        gross_margin,
        updated_at
    from {{ this }}
{% endif %}
