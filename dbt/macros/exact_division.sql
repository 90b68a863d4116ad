{#-
  numerator / denominator rounded half away from zero to `scale` decimals, in exact decimal arithmetic on every
  engine; NULL when the denominator is 0 or NULL. The numerator may have at most `scale` decimals (money, counts).
  Redshift divides DECIMALs exactly; DuckDB turns decimal division into DOUBLE, so there the division is done on
  the absolute values as integers scaled by 10^scale, and the sign applied afterwards.
-#}
{% macro exact_division(numerator, denominator, scale=2) -%}
  {#- Parenthesised so expressions (`a - b`) keep their meaning inside the arithmetic below. -#}
  {{ return(adapter.dispatch('exact_division', 'dataflow')('(' ~ numerator ~ ')', '(' ~ denominator ~ ')', scale)) }}
{%- endmacro %}

{% macro default__exact_division(numerator, denominator, scale) -%}
  case when {{ denominator }} is null or {{ denominator }} = 0 then null
    else cast(round(cast({{ numerator }} as decimal(38, {{ scale + 4 }})) / {{ denominator }}, {{ scale }}) as decimal(18, {{ scale }}))
  end
{%- endmacro %}

{% macro duckdb__exact_division(numerator, denominator, scale) -%}
  case when {{ denominator }} is null or {{ denominator }} = 0 then null
    else cast(
      sign({{ numerator }}) * sign({{ denominator }}) * cast(
        (2 * cast(abs({{ numerator }}) * {{ 10 ** scale }} as hugeint) + cast(abs({{ denominator }}) as hugeint))
          // (2 * cast(abs({{ denominator }}) as hugeint))
        as decimal(18, 0)
      ) * cast({{ '0.' ~ ('0' * (scale - 1)) ~ '1' }} as decimal({{ scale + 1 }}, {{ scale }}))
      as decimal(18, {{ scale }}))
  end
{%- endmacro %}
