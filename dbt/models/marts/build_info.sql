{#-
  One row telling analysts how fresh gold is: when this build ran, for which as_of_date, and the newest source
  versions it includes (order updates from the OLTP extract, clickstream arrivals from the stream).
-#}
select
    cast({{ dbt.current_timestamp() }} as timestamp) as built_at,
    {{ as_of_date() }} as as_of_date,
    cast('{{ invocation_id }}' as varchar(64)) as dbt_invocation_id,
    cast('{{ target.name }}' as varchar(32)) as target_name,
    (select max(updated_at) from {{ ref('stg_orders') }}) as orders_updated_through,
    (select max(arrival_time) from {{ ref('stg_clickstream_events') }}) as events_arrived_through
