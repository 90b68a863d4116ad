{#- Customers, latest version per customer_id; e-mail cleaned and validated, segment normalised. -#}
with ranked as (
    select
        *,
        row_number() over (
            partition by customer_id
            order by updated_at desc, email asc, first_name asc, last_name asc, customer_segment asc
        ) as version_rank
    from {{ source('bronze', 'customers') }}
),

cleaned as (
    select
        customer_id,
        trim(lower(email)) as email,
        trim(first_name) as first_name,
        trim(last_name) as last_name,
        cast(registration_date as date) as registration_date,
        cast(last_login_date as date) as last_login_date,
        case
            when customer_segment is null or trim(customer_segment) = '' then 'unknown'
            else lower(trim(customer_segment))
        end as customer_segment,
        updated_at
    from ranked
    where version_rank = 1
)

select
    customer_id,
    email,
    {{ email_is_valid('email') }} as email_is_valid,
    first_name,
    last_name,
    registration_date,
    last_login_date,
    customer_segment,
    updated_at
from cleaned
