{#- Every value of the column is an output of a dbt/customer_rules.yml section (or NULL). -#}
{% test accepted_rule_outputs(model, column_name, section) %}
    {%- set outputs = rule_outputs(section) -%}
    select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and {{ column_name }} not in (
    {%- for o in outputs %}{{ customer_rule_output(o) }}{{ ', ' if not loop.last }}{% endfor -%}
  )
{% endtest %}
