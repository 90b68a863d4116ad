{#-
  Post-hook of every gold model: on Redshift, the read-only `analysts` role (created by the warehouse setup custom
  resource) may select the rebuilt table. Tables dbt creates are owned by dbt's IAM user, so the admin's default
  privileges do not cover them. Renders nothing on DuckDB.
-#}
{% macro grant_gold_to_analysts() -%}
  {%- if target.type == 'redshift' -%}
    grant select on {{ this }} to role analysts
  {%- endif -%}
{%- endmacro %}
