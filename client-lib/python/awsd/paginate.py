"""Paginators run by the daemon (botocore's page walk, resume tokens byte for
byte): pages are read from the stream as the caller iterates."""
from . import _transport, messages


class Paginator:
    def __init__(self, client, operation_name):
        self._client = client
        self._operation_name = operation_name

    def paginate(self, **kwargs):
        config = kwargs.pop("PaginationConfig", None) or {}
        return PageIterator(self._client, self._operation_name, kwargs, config)


class PageIterator:
    def __init__(self, client, operation_name, params, config):
        self._client = client
        self._operation = client._model.operation(operation_name)
        self._params = params
        self._config = config
        self.resume_token = None

    def _request(self, view):
        return messages.PaginateRequest(
            session=self._client._session, service=self._client._model.service_name,
            operation=self._operation.name, params_json=self._operation.types.params_json(self._params),
            max_items=int(self._config.get("MaxItems") or 0), page_size=int(self._config.get("PageSize") or 0),
            starting_token=self._config.get("StartingToken") or "", options=self._client._options, view=view)

    def _pages(self, view):
        for page in _transport.messages_of(self._client._daemon.invoke.Paginate(self._request(view))):
            if page.which_oneof("outcome") == "error":
                raise self._client._client_error(self._operation.name, page.error, page.metadata)
            if page.next_token:
                self.resume_token = page.next_token
            yield page

    def __iter__(self):
        for page in self._pages(messages.PAGE_VIEW_PAGES):
            yield self._operation.types.result(page.result_json)

    def build_full_result(self):
        """Every page merged as botocore merges them, with NextToken when
        MaxItems cut the walk short."""
        text = "".join(page.result_json for page in self._pages(messages.PAGE_VIEW_MERGED))
        return self._operation.types.result(text) if text else {}

    def search(self, expression):
        # jmespath is boto3's dependency, not ours: only callers that have it can search.
        import jmespath

        compiled = jmespath.compile(expression)
        for page in self:
            results = compiled.search(page)
            if isinstance(results, list):
                yield from results
            else:
                yield results
