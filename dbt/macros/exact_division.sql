{#-
  numerator / denominator rounded half-up to `scale` decimals, in exact decimal arithmetic on every engine;
  NULL when the denominator is 0 or NULL. Inputs must be non-negative with at most `scale` decimals (money totals,
  counts). Redshift divides DECIMALs exactly; DuckDB turns decimal division into DOUBLE, so there the division is
  done on integers scaled by 10^scale.
-#}
{% macro exact_division(numerator, denominator, scale=2) -%}
  {{ return(adapter.dispatch('exact_division', 'dataflow')(numerator, denominator, scale)) }}
{%- endmacro %}

{% macro default__exact_division(numerator, denominator, scale) -%}
  case when {{ denominator }} is null or {{ denominator }} = 0 then null
    else cast(round(cast({{ numerator }} as decimal(38, {{ scale + 4 }})) / {{ denominator }}, {{ scale }}) as decimal(18, {{ scale }}))
  end
{%- endmacro %}

{% macro duckdb__exact_division(numerator, denominator, scale) -%}
  case when {{ denominator }} is null or {{ denominator }} = 0 then null
    else cast(
      cast(
        (2 * cast({{ numerator }} * {{ 10 ** scale }} as hugeint) + cast({{ denominator }} as hugeint))
          // (2 * cast({{ denominator }} as hugeint))
        as decimal(18, 0)
      ) * cast({{ '0.' ~ ('0' * (scale - 1)) ~ '1' }} as decimal({{ scale + 1 }}, {{ scale }}))
      as decimal(18, {{ scale }}))
  end
{%- endmacro %}
