"""The cross-database macros the models call, rendered as dbt-redshift renders them."""


def datediff(first_date, second_date, datepart):
    return f"datediff({datepart}, {first_date}, {second_date})"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"dateadd({datepart}, {interval}, {from_date_or_timestamp})"


def date_trunc(datepart, date):
    return f"date_trunc('{datepart}', {date})"


def current_timestamp():
    return "getdate()"


def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    if limit_num is not None:
        raise ValueError("listagg with a limit is not used by the models")
    within = f" within group ({order_by_clause})" if order_by_clause else ""
    return f"listagg({measure}, {delimiter_text}){within}"
