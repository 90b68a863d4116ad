{#-
  Clickstream funnel by day: sessions → sessions with a product view → with an add to cart → with a checkout
  start, and the conversion between steps. A session belongs to the day of its first event; a step counts when
  the session has at least one event of that type. Days up to as_of_date.
-#}
with sessions as (
    select
        session_id,
        cast(min(occurred_at) as date) as session_date,
        max(case when event_type = 'product_view' then 1 else 0 end) as viewed_product,
        max(case when event_type = 'add_to_cart' then 1 else 0 end) as added_to_cart,
        max(case when event_type = 'checkout_started' then 1 else 0 end) as started_checkout
    from {{ ref('stg_clickstream_events') }}
    group by session_id
),

daily as (
    select
        session_date,
        count(*) as sessions,
        sum(viewed_product) as product_view_sessions,
        sum(added_to_cart) as add_to_cart_sessions,
        sum(started_checkout) as checkout_sessions
    from sessions
    where session_date <= {{ as_of_date() }}
    group by session_date
)

select
    session_date as funnel_date,
    cast(sessions as integer) as sessions,
    cast(product_view_sessions as integer) as product_view_sessions,
    cast(add_to_cart_sessions as integer) as add_to_cart_sessions,
    cast(checkout_sessions as integer) as checkout_sessions,
    cast({{ exact_division('product_view_sessions', 'sessions', 4) }} as decimal(18, 4)) as view_rate,
    cast({{ exact_division('add_to_cart_sessions', 'product_view_sessions', 4) }} as decimal(18, 4)) as view_to_cart_rate,
    cast({{ exact_division('checkout_sessions', 'add_to_cart_sessions', 4) }} as decimal(18, 4)) as cart_to_checkout_rate,
    cast({{ exact_division('checkout_sessions', 'sessions', 4) }} as decimal(18, 4)) as session_conversion_rate
from daily
