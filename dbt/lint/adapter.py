"""`adapter.dispatch` as dbt resolves it on Redshift: the project's `redshift__` macro, else its `default__` one."""

from jinja2 import pass_context


@pass_context
def dispatch(context, name, macro_namespace=None):
    for prefix in ("redshift__", "default__"):
        macro = context.get(prefix + name)
        if macro is not None:
            return macro
    raise LookupError(f"no redshift__ or default__ implementation of {name}")
