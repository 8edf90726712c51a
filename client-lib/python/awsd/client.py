"""A client with boto3's shape: one method per operation, named as boto3
names it, built from the daemon's description of the service."""
import json

from . import _customizations, _transport, _values, exceptions, messages
from .paginate import Paginator
from .response import StreamingBody
from .service_model import ServiceModel
from .waiter import Waiter

_UPLOAD_PIECE = 256 * 1024


class ClientMeta:
    def __init__(self, service_name, region_name, endpoint_url, method_to_api_mapping):
        self.service_name = service_name
        self.region_name = region_name
        self.endpoint_url = endpoint_url
        self.method_to_api_mapping = method_to_api_mapping


class BaseClient:
    def __init__(self, daemon, service_name, session_spec, config=None):
        self._daemon = daemon
        self._model = ServiceModel.of(daemon, service_name)
        self._session = messages.SessionRef(spec=session_spec)
        self._options = _call_options(config)
        self.meta = ClientMeta(self._model.service_name, session_spec.region or None, session_spec.endpoint_url or None,
                               {op.python_name: op.name for op in self._model.description.operations})
        self.exceptions = exceptions.ClientExceptions(self._model.description.error_shapes)

    def __getattr__(self, name):
        described = self.__dict__.get("_model") and self._model.by_python_name.get(name)
        if not described:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        operation_name = described.name

        def api_call(**kwargs):
            return self._make_api_call(operation_name, kwargs)

        api_call.__name__ = name
        self.__dict__[name] = api_call
        return api_call

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._model.by_python_name))

    def _make_api_call(self, operation_name, params):
        operation = self._model.operation(operation_name)
        params = dict(params)
        body = params.pop(operation.streaming_input, None) if operation.streaming_input else None
        if operation.streaming_input:
            _customizations.default_checksum(operation, params, body)
        request = messages.InvokeRequest(
            session=self._session, service=self._model.service_name, operation=operation_name,
            params_json=operation.types.params_json(params), options=self._options)
        if operation.streaming_input or operation.streaming_output:
            return self._call_streaming(operation, request, body)
        reply = self._daemon.invoke.Invoke(request)
        return self._result(operation, reply)

    def _result(self, operation, reply):
        if reply.which_oneof("outcome") == "error":
            raise self._client_error(operation.name, reply.error, reply.metadata)
        return operation.types.result(reply.result_json)

    def _client_error(self, operation_name, error, metadata):
        response = json.loads(error.response_json) if error.response_json else {}
        response.setdefault("Error", {"Code": error.code, "Message": error.message})
        response.setdefault("ResponseMetadata", _values.response_metadata(metadata))
        return self.exceptions.from_code(error.code)(response, operation_name)

    def _call_streaming(self, operation, request, body):
        first = messages.InvokeStreamRequest(call=request)
        length = _length_of(body)
        if length is not None:
            first.content_length = length
        responses = self._daemon.invoke.InvokeStream(_upload(first, body, length))
        pieces = _chunks(responses)
        head = next(pieces)
        result = self._result(operation, head)
        if operation.streaming_output:
            result[operation.streaming_output] = StreamingBody(
                pieces, result.get("ContentLength"), cancel=responses.cancel)
        else:
            for _ in pieces:
                pass
        return result

    def can_paginate(self, operation_name):
        described = self._model.by_python_name.get(operation_name)
        return bool(described and described.paginated)

    def get_paginator(self, operation_name):
        if not self.can_paginate(operation_name):
            raise exceptions.OperationNotPageableError(operation_name=operation_name)
        return Paginator(self, self._model.by_python_name[operation_name].name)

    @property
    def waiter_names(self):
        return sorted(self._model.waiters)

    def get_waiter(self, waiter_name):
        if waiter_name not in self._model.waiters:
            raise ValueError(f"Waiter does not exist: {waiter_name}")
        return Waiter(self, self._model.waiters[waiter_name])

    def generate_presigned_url(self, ClientMethod, Params=None, ExpiresIn=3600, HttpMethod=None):
        described = self._model.by_python_name.get(ClientMethod)
        if described is None:
            raise exceptions.UnknownServiceError(None, f"Unknown client method: {ClientMethod}")
        operation = self._model.operation(described.name)
        request = messages.PresignRequest(
            session=self._session, service=self._model.service_name, operation=described.name,
            params_json=operation.types.params_json(Params or {}), expires_in_seconds=ExpiresIn,
            http_method=HttpMethod or "", options=self._options)
        return self._daemon.invoke.Presign(request).url

    def close(self):
        """Nothing to release: the channel is the daemon's, shared."""


def _call_options(config):
    options = messages.CallOptions()
    if config is None:
        return options
    if getattr(config, "region_name", None):
        options.region = config.region_name
    retries = getattr(config, "retries", None) or {}
    attempts = retries.get("total_max_attempts") or (
        retries["max_attempts"] + 1 if retries.get("max_attempts") is not None else None)
    if attempts:
        options.max_attempts = attempts
    if getattr(config, "read_timeout", None):
        milliseconds = int(config.read_timeout * 1000)
        options.read_timeout = messages.message("google.protobuf.Duration")(
            seconds=milliseconds // 1000, nanos=milliseconds % 1000 * 1000000)
    return options


def _length_of(body):
    if body is None:
        return 0
    if isinstance(body, str):
        return len(body.encode("utf-8"))
    if isinstance(body, (bytes, bytearray, memoryview)):
        return len(body)
    if hasattr(body, "seek") and hasattr(body, "tell"):
        try:
            here = body.tell()
            end = body.seek(0, 2)
            body.seek(here)
            return end - here
        except OSError:
            return None
    return None


def _upload(first, body, length):
    yield first
    if body is None:
        return
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        view = memoryview(body)
        for start in range(0, len(view), _UPLOAD_PIECE):
            yield messages.InvokeStreamRequest(body_chunk=bytes(view[start:start + _UPLOAD_PIECE]))
    else:
        while True:
            piece = body.read(_UPLOAD_PIECE)
            if not piece:
                break
            yield messages.InvokeStreamRequest(
                body_chunk=piece.encode("utf-8") if isinstance(piece, str) else piece)
    if length is None:
        yield messages.InvokeStreamRequest(end_of_body=True)


def _chunks(responses):
    """The head reply, then the body's pieces."""
    for response in _transport.messages_of(responses):
        if response.which_oneof("part") == "head":
            yield response.head
        else:
            yield response.body_chunk
