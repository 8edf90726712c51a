"""The daemon's socket and its RPCs. Unary calls go over our own HTTP/2
connections (_http2: a pool, one call per connection at a time, so threads
call in parallel); streaming calls go through grpcio, imported on the
first one. Both carry messages encoded by _protobuf."""
import os
import struct
import threading

from . import _http2, exceptions, messages
from .v1 import schema

# Idle connections kept per daemon; more threads than this still get one each.
_MAX_IDLE = 8


def socket_path(explicit=None):
    """The contract's order: explicit, $AWSD_SOCKET, $XDG_RUNTIME_DIR/awsd/awsd.sock, /run/awsd/awsd.sock."""
    if explicit:
        return explicit
    if os.environ.get("AWSD_SOCKET"):
        return os.environ["AWSD_SOCKET"]
    if os.environ.get("XDG_RUNTIME_DIR"):
        return os.path.join(os.environ["XDG_RUNTIME_DIR"], "awsd", "awsd.sock")
    return "/run/awsd/awsd.sock"


class Daemon:
    """One daemon's connections and stubs; shared by every session and client on that socket."""

    _lock = threading.Lock()
    _by_path = {}

    def __init__(self, path):
        self.path = path
        self._idle = []
        self._idle_lock = threading.Lock()
        self._channel = None
        self.invoke = Stub(self, "awsd.v1.InvokeService")
        self.sessions = Stub(self, "awsd.v1.SessionService")
        self.resources = Stub(self, "awsd.v1.ResourceModelService")
        # What the daemon described, by service name (ServiceModel, ResourceModels).
        self.descriptions = {}
        self.resource_models = {}

    @classmethod
    def at(cls, path):
        with cls._lock:
            daemon = cls._by_path.get(path)
            if daemon is None:
                daemon = cls._by_path[path] = Daemon(path)
            return daemon

    def unary(self, path, request, response_class):
        payload = request.encode()
        for attempt in range(2):
            connection = self._connection()
            try:
                reply = connection.unary(path, payload)
            except _http2.ConnectionLost as lost:
                connection.close()
                # Sent again only when the daemon cannot have acted on it.
                if lost.unsent and attempt == 0:
                    continue
                raise exceptions.DaemonUnavailableError(
                    exceptions.StatusCode.UNAVAILABLE, f"awsd at {self.path}: {lost}") from None
            self._release(connection)
            return _response(reply, response_class)

    def _connection(self):
        with self._idle_lock:
            while self._idle:
                connection = self._idle.pop()
                if connection.still_open():
                    return connection
                connection.close()
        try:
            return _http2.Connection(self.path)
        except OSError as error:
            raise exceptions.DaemonUnavailableError(
                exceptions.StatusCode.UNAVAILABLE, f"awsd is not reachable at {self.path}: {error.strerror or error}"
            ) from None

    def _release(self, connection):
        with self._idle_lock:
            if connection.reusable and len(self._idle) < _MAX_IDLE:
                self._idle.append(connection)
                return
        connection.close()

    def channel(self):
        """grpcio's channel, for streaming calls."""
        with self._idle_lock:
            if self._channel is None:
                try:
                    import grpc
                except ImportError:
                    raise exceptions.DaemonError(
                        exceptions.StatusCode.UNIMPLEMENTED,
                        "streaming calls (paginators, streaming bodies) need grpcio: pip install grpcio, "
                        "or apt-get install python3-grpcio") from None

                # The daemon's replies can be as large as its own limit; ours must not be smaller.
                self._channel = grpc.insecure_channel(
                    "unix:" + self.path,
                    options=[("grpc.max_receive_message_length", -1), ("grpc.enable_http_proxy", 0)])
            return self._channel


def _forget_connections_after_fork():
    # A forked child shares its parent's sockets: both writing on one HTTP/2
    # connection would corrupt it. The child closes its copies (the parent's
    # connections live on) and opens its own.
    for daemon in Daemon._by_path.values():
        idle, daemon._idle = daemon._idle, []
        for connection in idle:
            connection.close()
        daemon._idle_lock = threading.Lock()
        daemon._channel = None


os.register_at_fork(after_in_child=_forget_connections_after_fork)


class Stub:
    """A service's methods by name: daemon.invoke.Invoke(request) returns the
    reply or raises an awsd exception; a streaming method returns grpcio's
    call (iterate it with messages())."""

    def __init__(self, daemon, service):
        self._daemon = daemon
        self._service = service
        self._methods = schema.SERVICES[service]

    def __getattr__(self, name):
        if name not in self._methods:
            raise AttributeError(f"{self._service} has no method {name!r}")
        request_type, response_type, client_streaming, server_streaming = self._methods[name]
        path = f"/{self._service}/{name}"
        response_class = messages.message(response_type)
        if not client_streaming and not server_streaming:
            def method(request):
                return self._daemon.unary(path, request, response_class)
        else:
            channel = self._daemon.channel()
            make = {(False, True): channel.unary_stream, (True, True): channel.stream_stream,
                    (True, False): channel.stream_unary}[(client_streaming, server_streaming)]
            method = make(path, request_serializer=_encode, response_deserializer=response_class.decode)
        setattr(self, name, method)
        return method


def messages_of(responses):
    """The messages of a started streaming call; a gRPC failure becomes an
    awsd exception, and leaving early cancels the call."""
    import grpc

    try:
        for response in responses:
            yield response
    except grpc.RpcError as error:
        raise exceptions.from_status(exceptions.StatusCode[error.code().name], error.details()) from None
    finally:
        responses.cancel()


def _encode(message):
    return message.encode()


def _response(reply, response_class):
    """The message in a unary reply, or the awsd exception its status names."""
    status_text = reply.trailers.get("grpc-status", reply.headers.get("grpc-status"))
    if reply.headers.get(":status") != "200" or status_text is None:
        raise exceptions.DaemonUnavailableError(
            exceptions.StatusCode.UNAVAILABLE,
            f"not a gRPC answer from the daemon (HTTP status {reply.headers.get(':status')})")
    status = int(status_text) if status_text.isdigit() else exceptions.StatusCode.UNKNOWN
    if status != 0:
        message = reply.trailers.get("grpc-message", reply.headers.get("grpc-message", ""))
        raise exceptions.from_status(status, _percent_decoded(message))
    body = reply.body
    if len(body) < 5 or body[0] != 0 or struct.unpack_from(">I", body, 1)[0] != len(body) - 5:
        raise exceptions.DaemonError(exceptions.StatusCode.INTERNAL, "malformed gRPC message from the daemon")
    try:
        return response_class.decode(memoryview(body)[5:])
    except ValueError as error:
        raise exceptions.DaemonError(
            exceptions.StatusCode.INTERNAL, f"undecodable reply from the daemon: {error}") from None


def _percent_decoded(text):
    # gRPC percent-encodes grpc-message's non-ASCII UTF-8 bytes. urllib.parse
    # costs milliseconds to import, so only a message that needs it pays.
    if "%" not in text:
        return text
    from urllib.parse import unquote

    return unquote(text)
