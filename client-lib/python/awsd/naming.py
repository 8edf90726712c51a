"""botocore's xform_name for the names the daemon does not convert itself
(waiters, resource identifiers, attributes and actions). Operation names
come converted from the daemon, with botocore's special cases."""
import re

_first_cap = re.compile("(.)([A-Z][a-z]+)")
_end_cap = re.compile("([a-z0-9])([A-Z])")
# A pluralised acronym: GatewayARNs, ListWebACLs.
_special_case = re.compile("[A-Z]{2,}s$")


def xform_name(name, sep="_"):
    if sep in name:
        return name
    special = _special_case.search(name)
    if special is not None:
        name = f"{name[:-len(special.group())]}{sep}{special.group().lower()}"
    return _end_cap.sub(r"\1" + sep + r"\2", _first_cap.sub(r"\1" + sep + r"\2", name)).lower()
