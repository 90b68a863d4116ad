{#- E-mail validity of an already cleaned (trimmed, lower-case) address; the pattern is the customer_360 contract. -#}
{% macro email_pattern() -%}^[a-z0-9._%+-]+@[a-z0-9.-]+[.][a-z]{2,}${%- endmacro %}

{% macro email_is_valid(expr) -%}
  {{ return(adapter.dispatch('email_is_valid', 'dataflow')(expr)) }}
{%- endmacro %}

{% macro default__email_is_valid(expr) -%}
  coalesce({{ expr }} ~ '{{ email_pattern() }}', false)
{%- endmacro %}

{% macro duckdb__email_is_valid(expr) -%}
  coalesce(regexp_full_match({{ expr }}, '{{ email_pattern() }}'), false)
{%- endmacro %}
