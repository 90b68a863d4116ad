"""dbt's `exceptions` context."""

from jinja2 import TemplateRuntimeError


def raise_compiler_error(message):
    raise TemplateRuntimeError(message)
