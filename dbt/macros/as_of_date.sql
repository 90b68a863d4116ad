{#- The reference day of customer/product metrics: var as_of_date (YYYY-MM-DD) or, when empty, the current date. -#}
{% macro as_of_date() -%}
  {%- set raw = var('as_of_date', '') -%}
  {%- set value = '' if raw is none else (raw | string | trim) -%}
  {%- if value == '' -%}
    current_date
  {%- elif modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
    cast('{{ value }}' as date)
  {%- else -%}
    {{ exceptions.raise_compiler_error("var as_of_date must be YYYY-MM-DD (got '" ~ value ~ "')") }}
  {%- endif -%}
{%- endmacro %}
