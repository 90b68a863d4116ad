{#- The orders the customer and product metrics count: status ≠ cancelled and order_date ≤ as_of_date. -#}
select *
from {{ ref('int_orders_enriched') }}
where
    not is_cancelled
    and order_date <= {{ as_of_date() }}
