{#-
  One row per customer (latest version) with a valid cleaned e-mail, with purchase metrics over counted orders
  relative to as_of_date, value tier, lifecycle stage and RFM from dbt/customer_rules.yml.
  The contract is written down in docs/analyst-guide.md (customer_360).
-#}
{{ config(
    dist=('customer_id' if target.type == 'redshift' else none),
    sort=(['customer_id'] if target.type == 'redshift' else none)
) }}

with customers as (
    select *
    from {{ ref('stg_customers') }}
    where email_is_valid
),

measured as (
    select
        c.customer_id,
        c.email,
        c.first_name,
        c.last_name,
        c.registration_date,
        c.customer_segment,
        coalesce(m.total_transactions, 0) as total_transactions,
        coalesce(m.total_spent, 0) as total_spent,
        m.first_transaction_date,
        m.last_transaction_date,
        coalesce({{ dbt.datediff('m.first_transaction_date', 'm.last_transaction_date', 'day') }}, 0) as customer_lifetime_days,
        {{ dbt.datediff('m.last_transaction_date', as_of_date(), 'day') }} as days_since_last_transaction,
        coalesce(m.q4_transactions, 0) as q4_transactions,
        coalesce(m.q4_spending, 0) as q4_spending,
        coalesce(cat.category_diversity, 0) as category_diversity,
        cat.top_categories
    from customers as c
    left join {{ ref('int_customer_order_metrics') }} as m on c.customer_id = m.customer_id
    left join {{ ref('int_customer_categories') }} as cat on c.customer_id = cat.customer_id
),

scored as (
    select
        *,
        {{ rule_case('rfm.recency', 'days_since_last_transaction') }} as recency_score,
        {{ rule_case('rfm.frequency', 'total_transactions') }} as frequency_score,
        {{ rule_case('rfm.monetary', 'total_spent') }} as monetary_score
    from measured
)

select
    cast(customer_id as varchar(32)) as customer_id,
    cast(email as varchar(320)) as email,
    cast(first_name as varchar(100)) as first_name,
    cast(last_name as varchar(100)) as last_name,
    registration_date,
    cast(customer_segment as varchar(32)) as customer_segment,
    cast(total_transactions as integer) as total_transactions,
    cast(total_spent as decimal(18, 2)) as total_spent,
    cast(coalesce({{ exact_division('total_spent', 'total_transactions', 2) }}, 0) as decimal(18, 2)) as avg_transaction_amount,
    first_transaction_date,
    last_transaction_date,
    cast(customer_lifetime_days as integer) as customer_lifetime_days,
    cast(days_since_last_transaction as integer) as days_since_last_transaction,
    cast(q4_transactions as integer) as q4_transactions,
    cast(q4_spending as decimal(18, 2)) as q4_spending,
    cast({{ rule_case('value_tier', 'total_spent') }} as varchar(32)) as value_tier,
    cast({{ rule_case('lifecycle_stage', 'days_since_last_transaction') }} as varchar(32)) as lifecycle_stage,
    cast(recency_score as integer) as recency_score,
    cast(frequency_score as integer) as frequency_score,
    cast(monetary_score as integer) as monetary_score,
    cast(recency_score + frequency_score + monetary_score as integer) as rfm_score,
    cast({{ rule_case('rfm.segment', 'recency_score + frequency_score + monetary_score') }} as varchar(32)) as rfm_segment,
    cast(category_diversity as integer) as category_diversity,
    cast(top_categories as varchar(256)) as top_categories,
    {{ as_of_date() }} as as_of_date
from scored
