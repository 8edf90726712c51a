"""The daemon's socket, one gRPC channel per socket, and the stubs."""
import os
import threading

import grpc

from awsd.v1 import invoke_pb2_grpc, resources_pb2_grpc, session_pb2_grpc

from . import exceptions


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
    """The stubs of one daemon; shared by every session and client on that socket."""

    _lock = threading.Lock()
    _by_path = {}

    def __init__(self, path):
        self.path = path
        # The daemon's replies can be as large as its own limit; ours must not be smaller.
        self.channel = grpc.insecure_channel(
            "unix:" + path, options=[("grpc.max_receive_message_length", -1), ("grpc.enable_http_proxy", 0)])
        self.invoke = invoke_pb2_grpc.InvokeServiceStub(self.channel)
        self.sessions = session_pb2_grpc.SessionServiceStub(self.channel)
        self.resources = resources_pb2_grpc.ResourceModelServiceStub(self.channel)
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


def call(method, request, **kwargs):
    """A unary RPC; a gRPC failure becomes the matching awsd exception."""
    try:
        return method(request, **kwargs)
    except grpc.RpcError as error:
        raise exceptions.from_rpc_error(error) from None


def stream(method, request, **kwargs):
    """A server-streaming RPC's messages; a gRPC failure becomes an awsd exception."""
    return messages(method(request, **kwargs))


def messages(responses):
    """The messages of a started streaming call; a gRPC failure becomes an
    awsd exception, and leaving early cancels the call."""
    try:
        for response in responses:
            yield response
    except grpc.RpcError as error:
        raise exceptions.from_rpc_error(error) from None
    finally:
        responses.cancel()
