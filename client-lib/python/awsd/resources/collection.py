"""Collections (hasMany) as boto3 has them: all, filter, limit, page_size,
pages, iteration, and batch actions; paginated operations are walked by the
daemon's paginator, a page at a time."""
import copy

from ..naming import xform_name
from .params import create_request_parameters, merge_dicts


class ResourceCollection:
    def __init__(self, models, name, model, parent, **kwargs):
        self._models = models
        self._name = name
        self._model = model
        self._parent = parent
        self._params = copy.deepcopy(kwargs)
        self._operation = xform_name(model["request"]["operation"])

    def __repr__(self):
        return f"{self._parent!r}.{self._name}.{type(self).__name__}"

    def __iter__(self):
        for page in self.pages():
            yield from page

    def _clone(self, **kwargs):
        params = copy.deepcopy(self._params)
        merge_dicts(params, kwargs, append_lists=True)
        return type(self)(self._models, self._name, self._model, self._parent, **params)

    def all(self):
        return self._clone()

    def filter(self, **kwargs):
        return self._clone(**kwargs)

    def limit(self, count):
        return self._clone(limit=count)

    def page_size(self, count):
        return self._clone(page_size=count)

    def pages(self):
        from .factory import build_resources

        client = self._parent.meta.client
        cleaned = dict(self._params)
        limit = cleaned.pop("limit", None)
        page_size = cleaned.pop("page_size", None)
        params = create_request_parameters(self._parent, self._model["request"])
        merge_dicts(params, cleaned, append_lists=True)
        if client.can_paginate(self._operation):
            pages = client.get_paginator(self._operation).paginate(
                PaginationConfig={"MaxItems": limit, "PageSize": page_size}, **params)
        else:
            pages = [getattr(client, self._operation)(**params)]
        count = 0
        resource = self._model["resource"]
        for page in pages:
            items = []
            for item in build_resources(self._models, resource, self._parent, params, page, resource.get("path")) or []:
                items.append(item)
                count += 1
                if limit is not None and count >= limit:
                    break
            yield items
            if limit is not None and count >= limit:
                break

    def __getattr__(self, name):
        definition = self._models.definition.get("resources", {}).get(self._model["resource"]["type"], {})
        for action_name, action in definition.get("batchActions", {}).items():
            if xform_name(action_name) == name:
                return lambda *args, **kwargs: self._batch_action(action, kwargs)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _batch_action(self, action, kwargs):
        responses = []
        client = self._parent.meta.client
        for page in self.pages():
            params = {}
            for index, resource in enumerate(page):
                create_request_parameters(resource, action["request"], params=params, index=index)
            if not params:
                break
            params.update(kwargs)
            responses.append(getattr(client, xform_name(action["request"]["operation"]))(**params))
        return responses


class CollectionManager(ResourceCollection):
    """resource.objects: the collection's entry point (all, filter, ...)."""

    def __iter__(self):
        return iter(self.all())

    def _clone(self, **kwargs):
        params = copy.deepcopy(self._params)
        merge_dicts(params, kwargs, append_lists=True)
        return ResourceCollection(self._models, self._name, self._model, self._parent, **params)
