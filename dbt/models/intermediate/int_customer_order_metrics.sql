{#- Per customer over counted orders: counts, exact money totals, first/last dates, Q4 (Oct–Dec of any year). -#}
select
    customer_id,
    cast(count(*) as integer) as total_transactions,
    cast(sum(order_amount) as decimal(18, 2)) as total_spent,
    min(order_date) as first_transaction_date,
    max(order_date) as last_transaction_date,
    cast(sum(case when extract(month from order_date) >= 10 then 1 else 0 end) as integer) as q4_transactions,
    cast(sum(case when extract(month from order_date) >= 10 then order_amount else 0 end) as decimal(18, 2)) as q4_spending
from {{ ref('int_counted_orders') }}
group by customer_id
