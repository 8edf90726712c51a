"""awsd: boto3's shape for programs that cannot afford boto3. Clients,
paginators, waiters, presigned URLs and resources, served by the awsd daemon
over its Unix socket; this package loads no models and holds no secrets."""
from .session import Session

__version__ = "0.1.0"

_default = None


def _default_session():
    global _default
    if _default is None:
        _default = Session()
    return _default


def setup_default_session(**kwargs):
    global _default
    _default = Session(**kwargs)


def client(*args, **kwargs):
    return _default_session().client(*args, **kwargs)


def resource(*args, **kwargs):
    return _default_session().resource(*args, **kwargs)
