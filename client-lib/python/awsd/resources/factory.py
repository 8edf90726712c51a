"""Resource classes made from resources-1.json, as boto3's ResourceFactory
makes them: identifiers, attributes loaded on first use, actions, waiters,
sub-resources, references and collections."""
import json
from functools import partial

from .. import messages
from ..naming import xform_name
from .collection import CollectionManager
from .params import build_identifiers, create_request_parameters
from .search import search


class ResourceMeta:
    def __init__(self, service_name, client, identifiers, resource_model, data=None):
        self.service_name = service_name
        self.client = client
        self.identifiers = identifiers
        self.resource_model = resource_model
        self.data = data

    def copy(self):
        return ResourceMeta(self.service_name, self.client, list(self.identifiers), self.resource_model, self.data)


class ServiceResource:
    meta = None

    def __init__(self, *args, **kwargs):
        self.meta = self.meta.copy()
        self.meta.client = kwargs.pop("client")
        for i, value in enumerate(args):
            setattr(self, "_" + self.meta.identifiers[i], value)
        for name, value in kwargs.items():
            if name not in self.meta.identifiers:
                raise ValueError(f"Unknown keyword argument: {name}")
            setattr(self, "_" + name, value)
        for name in self.meta.identifiers:
            if getattr(self, "_" + name, None) is None:
                raise ValueError(f"Required parameter {name} not set")

    def __repr__(self):
        identifiers = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.meta.identifiers)
        return f"{self.__class__.__name__}({identifiers})"

    def __eq__(self, other):
        if other.__class__.__name__ != self.__class__.__name__:
            return False
        return all(getattr(self, name) == getattr(other, name) for name in self.meta.identifiers)

    def __hash__(self):
        return hash((self.__class__.__name__, *(getattr(self, name) for name in self.meta.identifiers)))


class ResourceModels:
    """A service's resources-1.json and the shapes its resources name."""

    def __init__(self, client):
        reply = client._daemon.resources.DescribeResources(
            messages.DescribeResourcesRequest(service=client.meta.service_name))
        self.definition = json.loads(reply.resources_json)
        self.shapes = {name: list(members.members) for name, members in reply.shapes.items()}
        self.service_name = reply.service
        self.classes = {}


def service_resource(client):
    cache = client._daemon.resource_models
    models = cache.get(client.meta.service_name)
    if models is None:
        models = cache[client.meta.service_name] = ResourceModels(client)
    cls = _resource_class(models, "ServiceResource", models.definition["service"])
    return cls(client=client)


def _resource_class(models, name, model):
    cls = models.classes.get(name)
    if cls is not None:
        return cls
    identifiers = [xform_name(identifier["name"]) for identifier in model.get("identifiers", [])]
    class_name = f"{models.service_name}.{name}"
    attrs = {"meta": ResourceMeta(models.service_name, None, identifiers, model)}
    for identifier in identifiers:
        attrs[identifier] = property(lambda self, n=identifier: getattr(self, "_" + n))
    if "shape" in model:
        for member in models.shapes.get(model["shape"], []):
            attribute = xform_name(member)
            if attribute not in identifiers:
                attrs[attribute] = property(partial(_autoload, member=member))
    if "load" in model:
        attrs["load"] = attrs["reload"] = _load_method(model["load"])
    for action_name, action in model.get("actions", {}).items():
        attrs[xform_name(action_name)] = _action_method(models, xform_name(action_name), action)
    for waiter_name, waiter in model.get("waiters", {}).items():
        attrs["wait_until_" + xform_name(waiter_name)] = _waiter_method(waiter)
    for has_name, has in _has_definition(models, name, model).items():
        data_required = any(i["source"] == "data" for i in has["resource"].get("identifiers", []))
        if data_required:
            attrs[xform_name(has_name)] = property(_reference_getter(models, has))
        else:
            attrs[has_name] = _subresource_method(models, has)
    for many_name, many in model.get("hasMany", {}).items():
        attrs[xform_name(many_name)] = property(_collection_getter(models, xform_name(many_name), many))
    cls = models.classes[name] = type(class_name, (ServiceResource,), attrs)
    return cls


def _has_definition(models, name, model):
    """The resource's "has"; the service resource has every resource of the
    service, each identifier an argument, unless it names one otherwise."""
    if name != "ServiceResource":
        return model.get("has", {})
    own = model.get("has", {})
    has = {}
    for type_name, definition in models.definition.get("resources", {}).items():
        named = {n: h for n, h in own.items() if h.get("resource", {}).get("type") == type_name}
        has.update(named or {type_name: {"resource": {"type": type_name, "identifiers": [
            {"target": identifier["name"], "source": "input"} for identifier in definition.get("identifiers", [])]}}})
    return has


def _definition(models, type_name):
    return models.definition.get("resources", {}).get(type_name, {})


def _autoload(self, member):
    if self.meta.data is None:
        if not hasattr(self, "load"):
            raise AttributeError(f"{self.__class__.__name__} has no load method")
        self.load()
    return self.meta.data.get(member)


def _client_call(client, operation, params):
    return getattr(client, xform_name(operation))(**params)


def _load_method(load):
    def load_resource(self, *args, **kwargs):
        params = create_request_parameters(self, load["request"])
        params.update(kwargs)
        response = _client_call(self.meta.client, load["request"]["operation"], params)
        self.meta.data = search(load["path"], response) if "path" in load else response

    return load_resource


def _action_method(models, name, action):
    def do_action(self, *args, **kwargs):
        params = create_request_parameters(self, action["request"])
        params.update(kwargs)
        response = _client_call(self.meta.client, action["request"]["operation"], params)
        if "resource" in action:
            return build_resources(models, action["resource"], self, params, response,
                                   action.get("resource", {}).get("path", action.get("path")))
        return search(action["path"], response) if "path" in action else response

    do_action.__name__ = name
    return do_action


def build_resources(models, resource, parent, params, response, path):
    """boto3's ResourceHandler: one resource, a list of them, or None."""
    cls = _resource_class(models, resource["type"], _definition(models, resource["type"]))
    found = search(path, response) if path else None
    identifiers = dict(build_identifiers(resource.get("identifiers", []), parent, params, response))
    plural = [value for value in identifiers.values() if isinstance(value, list)]
    if plural:
        items = []
        for i in range(len(plural[0])):
            data = found[i] if found else None
            items.append(_resource_item(cls, parent, identifiers, data))
        return items
    if all(value is not None for value in identifiers.values()):
        return _resource_item(cls, parent, identifiers, found)
    return None


def _resource_item(cls, parent, identifiers, data):
    kwargs = {name: (value.pop(0) if isinstance(value, list) else value) for name, value in identifiers.items()}
    item = cls(client=parent.meta.client, **kwargs)
    if data is not None:
        item.meta.data = data
    return item


def _waiter_method(waiter):
    def wait(self, *args, **kwargs):
        params = create_request_parameters(self, waiter)
        params.update(kwargs)
        self.meta.client.get_waiter(xform_name(waiter["waiterName"])).wait(**params)

    return wait


def _reference_getter(models, has):
    def get_reference(self):
        if self.meta.data is None and hasattr(self, "load"):
            self.load()
        return build_resources(models, has["resource"], self, {}, self.meta.data, has["resource"].get("path"))

    return get_reference


def _subresource_method(models, has):
    def create_resource(self, *args, **kwargs):
        resource = has["resource"]
        cls = _resource_class(models, resource["type"], _definition(models, resource["type"]))
        positional = [value for _, value in build_identifiers(resource.get("identifiers", []), self)]
        return cls(*positional, *args, client=self.meta.client, **kwargs)

    return create_resource


def _collection_getter(models, name, many):
    def get_collection(self):
        return CollectionManager(models, name, many, self)

    return get_collection

