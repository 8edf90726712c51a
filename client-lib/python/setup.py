"""The gRPC stubs (awsd/v1/*_pb2.py) are generated from proto/ when the
package is built, with protoc and grpc_python_plugin (Debian's
protobuf-compiler and protobuf-compiler-grpc); nothing generated is kept in
the tree. AWSD_PROTO_DIR overrides where proto/ is."""
import glob
import os
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def generate_stubs(out_dir):
    proto_dir = os.environ.get("AWSD_PROTO_DIR") or os.path.join(HERE, "..", "..", "proto")
    protos = sorted(os.path.relpath(p, proto_dir) for p in glob.glob(os.path.join(proto_dir, "awsd", "v1", "*.proto")))
    if not protos:
        raise SystemExit(f"no .proto files under {proto_dir}/awsd/v1 (set AWSD_PROTO_DIR)")
    plugin = shutil.which("grpc_python_plugin")
    if plugin is None:
        raise SystemExit("grpc_python_plugin not found (apt-get install protobuf-compiler-grpc)")
    os.makedirs(os.path.join(out_dir, "awsd", "v1"), exist_ok=True)
    subprocess.run(["protoc", f"--proto_path={proto_dir}", f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
                    f"--plugin=protoc-gen-grpc_python={plugin}", *protos], check=True)
    open(os.path.join(out_dir, "awsd", "v1", "__init__.py"), "a").close()


class BuildWithStubs(build_py):
    # awsd.v1 is not a listed package: it exists only in build_lib, and the
    # wheel takes build_lib whole.
    def run(self):
        generate_stubs(self.build_lib)
        super().run()


if __name__ == "__main__":
    setup(packages=["awsd", "awsd.resources"], cmdclass={"build_py": BuildWithStubs})
