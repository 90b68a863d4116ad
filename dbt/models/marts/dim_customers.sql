{#- Customers as SCD type 2 from the snap_customers snapshot: one row per customer version. -#}
{{ config(
    dist=('customer_id' if target.type == 'redshift' else none),
    sort=(['customer_id', 'valid_from'] if target.type == 'redshift' else none)
) }}

select
    cast(dbt_scd_id as varchar(64)) as customer_version_id,
    cast(customer_id as varchar(32)) as customer_id,
    cast(email as varchar(320)) as email,
    email_is_valid,
    cast(first_name as varchar(100)) as first_name,
    cast(last_name as varchar(100)) as last_name,
    registration_date,
    last_login_date,
    cast(customer_segment as varchar(32)) as customer_segment,
    dbt_valid_from as valid_from,
    dbt_valid_to as valid_to,
    dbt_valid_to is null as is_current
from {{ ref('snap_customers') }}
