{#-
  numerator / denominator rounded half away from zero to `scale` decimals, in exact decimal arithmetic on every
  engine; NULL when the denominator is 0 or NULL. Both operands may have up to 6 decimals (money, rates, counts).
  Redshift divides DECIMALs exactly; DuckDB turns decimal division into DOUBLE, so there both operands are scaled
  to integers (the denominator by 10^6, the numerator by 10^(6 + scale)), divided as integers rounding half up
  on the absolute values, and the sign applied afterwards.
-#}
{% macro exact_division(numerator, denominator, scale=2) -%}
  {#- Parenthesised so expressions (`a - b`) keep their meaning inside the arithmetic below. -#}
  {{ return(adapter.dispatch('exact_division', 'dataflow')('(' ~ numerator ~ ')', '(' ~ denominator ~ ')', scale)) }}
{%- endmacro %}

{% macro default__exact_division(numerator, denominator, scale) -%}
  case when {{ denominator }} is null or {{ denominator }} = 0 then null
    else cast(round(cast({{ numerator }} as decimal(38, {{ scale + 6 }})) / {{ denominator }}, {{ scale }}) as decimal(18, {{ scale }}))
  end
{%- endmacro %}

{% macro duckdb__exact_division(numerator, denominator, scale) -%}
  {%- set scaled_numerator = 'cast(cast(abs(' ~ numerator ~ ') as decimal(38, 6)) * ' ~ (10 ** (6 + scale)) ~ ' as hugeint)' -%}
  {%- set scaled_denominator = 'cast(cast(abs(' ~ denominator ~ ') as decimal(38, 6)) * 1000000 as hugeint)' -%}
  case when {{ denominator }} is null or {{ denominator }} = 0 then null
    else cast(
      sign({{ numerator }}) * sign({{ denominator }})
        * cast((2 * {{ scaled_numerator }} + {{ scaled_denominator }}) // (2 * {{ scaled_denominator }}) as decimal(38, 0))
        * cast({{ '0.' ~ ('0' * (scale - 1)) ~ '1' }} as decimal({{ scale + 1 }}, {{ scale }}))
      as decimal(18, {{ scale }}))
  end
{%- endmacro %}
