"""Puts the built awsd package first on sys.path, and Debian's grpcio and
protobuf (python3-grpcio, python3-protobuf) last, for an interpreter (the
machine's python3 with boto3 and moto) that has not got them itself."""
import os
import sys

DEBIAN_PACKAGES = "/usr/lib/python3/dist-packages"


def use_built_package(python_dir):
    sys.path.insert(0, os.path.abspath(python_dir))
    try:
        import grpc  # noqa: F401
    except ImportError:
        sys.path.append(DEBIAN_PACKAGES)

