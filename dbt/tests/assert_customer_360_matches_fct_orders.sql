{#- Each customer_360 row's counts and money equal its counted orders in fct_orders (gold agrees with gold). -#}
with counted as (
    select
        customer_id,
        count(*) as transactions,
        sum(order_amount) as spent
    from {{ ref('fct_orders') }}
    where not is_cancelled and order_date <= {{ as_of_date() }}
    group by customer_id
)

select
    c.customer_id,
    c.total_transactions,
    counted.transactions,
    c.total_spent,
    counted.spent
from {{ ref('customer_360') }} as c
left join counted on c.customer_id = counted.customer_id
where
    c.total_transactions <> coalesce(counted.transactions, 0)
    or c.total_spent <> coalesce(counted.spent, 0)
