"""The daemon's messages as classes, by their proto names in awsd.v1
(messages.InvokeRequest, messages.ServiceDescription.Operation is
messages.message("awsd.v1.ServiceDescription.Operation")), and its enum
values (messages.PAGE_VIEW_MERGED, messages.WaitResponse.STATE_SUCCESS)."""
from ._protobuf import Registry
from .v1 import schema

PACKAGE = "awsd.v1."
registry = Registry(schema.MESSAGES, schema.ENUMS)
_ENUM_VALUES = {name: number for enum, values in schema.ENUMS.items()
                if "." not in enum[len(PACKAGE):] for name, number in values.items()}


def message(full_name):
    return registry.message(full_name)


def __getattr__(name):
    if name in _ENUM_VALUES:
        return _ENUM_VALUES[name]
    try:
        return registry.message(PACKAGE + name)
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
