"""The daemon's message schema (awsd/v1/schema.py) is generated from proto/
when the package is built, with protoc (Debian's protobuf-compiler); nothing
generated is kept in the tree. AWSD_PROTO_DIR overrides where proto/ is."""
import os
import shutil
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate_schema import write_schema  # noqa: E402


class BuildWithSchema(build_py):
    # awsd.v1 is not a listed package: it exists only in build_lib, and the
    # wheel takes build_lib whole.
    def run(self):
        if shutil.which("protoc") is None:
            raise SystemExit("protoc not found (apt-get install protobuf-compiler)")
        write_schema(os.environ.get("AWSD_PROTO_DIR") or os.path.join(HERE, "..", "..", "proto"), self.build_lib)
        super().run()


if __name__ == "__main__":
    setup(packages=["awsd", "awsd.resources"], cmdclass={"build_py": BuildWithSchema})
