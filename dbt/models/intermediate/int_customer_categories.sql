{#-
  Per customer over counted order lines: category_diversity = distinct categories; top_categories = up to
  customer_rules.top_categories.limit categories by number of lines desc, ties by name asc, joined with its separator.
  Kept apart from customer_360 because LISTAGG is compute-node-only on Redshift (unit tests cannot run it there).
-#}
{%- set rules = customer_rules()['top_categories'] -%}
with lines as (
    select
        l.customer_id,
        l.category
    from {{ ref('int_order_lines_enriched') }} as l
    inner join {{ ref('int_counted_orders') }} as o on l.order_id = o.order_id
    where l.category is not null
),

per_category as (
    select
        customer_id,
        category,
        count(*) as line_count
    from lines
    group by customer_id, category
),

ranked as (
    select
        customer_id,
        category,
        row_number() over (partition by customer_id order by line_count desc, category asc) as category_rank
    from per_category
),

diversity as (
    select
        customer_id,
        cast(count(*) as integer) as category_diversity
    from ranked
    group by customer_id
),

top_ranked as (
    select
        customer_id,
        {{ dbt.listagg('category', "'" ~ rules['separator'] ~ "'", 'order by category_rank') }} as top_categories
    from ranked
    where category_rank <= {{ rules['limit'] }}
    group by customer_id
)

select
    d.customer_id,
    d.category_diversity,
    t.top_categories
from diversity as d
inner join top_ranked as t on d.customer_id = t.customer_id
