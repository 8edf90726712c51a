"""Request parameters and identifiers as boto3.resources.params builds them."""
import re

from ..naming import xform_name
from .search import search

_INDEX = re.compile(r"\[(.*)\]$")


def get_data_member(parent, path):
    if parent.meta.data is None:
        if not hasattr(parent, "load"):
            raise ResourceLoadException(f"{parent.__class__.__name__} has no load method")
        parent.load()
    return search(path, parent.meta.data)


def create_request_parameters(parent, request_model, params=None, index=None):
    params = {} if params is None else params
    for param in request_model.get("params", []):
        source = param["source"]
        if source == "identifier":
            value = getattr(parent, xform_name(param["name"]))
        elif source == "data":
            value = get_data_member(parent, param["path"])
        elif source in ("string", "integer", "boolean"):
            value = param["value"]
        elif source == "input":
            continue
        else:
            raise NotImplementedError(f"Unsupported source type: {source}")
        build_param_structure(params, param["target"], value, index)
    return params


def build_param_structure(params, target, value, index=None):
    """A reverse JMESPath: "Delete.Objects[*].Key" with index 2 sets
    params["Delete"]["Objects"][2]["Key"]."""
    position = params
    parts = target.split(".")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        found = _INDEX.search(part)
        if not found:
            if last:
                position[part] = value
            else:
                position = position.setdefault(part, {})
            continue
        if found.group(1) == "*":
            part = part[:-3]
        elif found.group(1):
            index = int(found.group(1))
            part = part[:-len(f"{index}[]")]
        else:
            index = None
            part = part[:-2]
        if not isinstance(position.get(part), list):
            position[part] = []
        if index is None:
            index = len(position[part])
        while len(position[part]) <= index:
            position[part].append({})
        if last:
            position[part][index] = value
        else:
            position = position[part][index]


def build_identifiers(identifiers, parent, params=None, raw_response=None):
    results = []
    for identifier in identifiers:
        source = identifier["source"]
        if source == "response":
            value = search(identifier["path"], raw_response)
        elif source == "requestParameter":
            value = search(identifier["path"], params)
        elif source == "identifier":
            value = getattr(parent, xform_name(identifier["name"]))
        elif source == "data":
            value = get_data_member(parent, identifier["path"])
        elif source == "input":
            continue
        else:
            raise NotImplementedError(f"Unsupported source type: {source}")
        results.append((xform_name(identifier["target"]), value))
    return results


def merge_dicts(target, source, append_lists=False):
    """boto3's merge_dicts: nested dicts merged, lists appended when asked."""
    for key, value in source.items():
        if key in target and isinstance(target[key], dict) and isinstance(value, dict):
            merge_dicts(target[key], value, append_lists)
        elif key in target and isinstance(target[key], list) and isinstance(value, list) and append_lists:
            target[key].extend(value)
        else:
            target[key] = value


class ResourceLoadException(Exception):
    pass
