{#- SCD2 invariant: no customer has two current rows in dim_customers, and current rows have no valid_to. -#}
select
    customer_id,
    count(*) as current_rows
from {{ ref('dim_customers') }}
where is_current or valid_to is null
group by customer_id
having count(*) > 1 or sum(case when is_current and valid_to is not null then 1 else 0 end) > 0
