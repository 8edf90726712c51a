"""`pip install client-lib/python` works, and the installed package runs the
examples with Debian's own Python and python3-grpcio against moto_server
through the daemon.

    examples_after_pip_install_test.py BIN_DIR
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "cli"))

import boto3  # noqa: E402
from moto_support import REGION, Checks, awsd_against_moto  # noqa: E402

SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", "..", "client-lib", "python"))
PROTO_DIR = os.path.abspath(os.path.join(SOURCE, "..", "..", "proto"))
DEBIAN_PYTHON = "/usr/bin/python3"


def pip_install(work):
    """pip install of a copy of the package (pip builds in the tree it is
    given), its message schema from the real proto/."""
    source = os.path.join(work, "python")
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = os.path.join(work, "site")
    installed = subprocess.run(
        [DEBIAN_PYTHON, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "--target", target,
         source], capture_output=True, text=True, timeout=300, env=dict(os.environ, AWSD_PROTO_DIR=PROTO_DIR))
    return target, installed


def main():
    check = Checks()
    with awsd_against_moto("awsd-pip-", "example-admin") as setup:
        target, installed = pip_install(setup.work)
        check("pip install client-lib/python", installed.returncode == 0,
              installed.stdout[-800:] + installed.stderr[-800:])
        check("the installed package has its generated message schema",
              os.path.exists(os.path.join(target, "awsd", "v1", "schema.py")))
        # The example's process knows the socket and nothing else: no key, no endpoint, no region.
        example_env = {"PATH": os.environ["PATH"], "PYTHONPATH": target, "AWSD_SOCKET": setup.socket_path,
                       "HOME": setup.work}

        def example(*args):
            return subprocess.run([DEBIAN_PYTHON, os.path.join(SOURCE, "examples", args[0]), *args[1:]],
                                  capture_output=True, text=True, timeout=120, env=example_env)

        def boto3_client(service):
            return boto3.client(service, endpoint_url=setup.endpoint, region_name=REGION,
                                aws_access_key_id=setup.key["AccessKeyId"],
                                aws_secret_access_key=setup.key["SecretAccessKey"])

        s3 = boto3_client("s3")
        s3.create_bucket(Bucket="example-images")
        for i in range(12):
            s3.put_object(Bucket="example-images", Key=f"images-{i:02}.png", Body=b"png")
        s3.put_object(Bucket="example-images", Key="other.txt", Body=b"txt")
        listed = example("images_listing.py", "example-images", "other.txt", "images-")
        check("images_listing.py: paginator and collection agree, then the waiter returns",
              listed.returncode == 0 and listed.stdout == "12 keys by paginator, 12 by collection\nother.txt exists\n",
              listed.stdout + listed.stderr[-800:])

        waited = example("table_waiter.py", "example-table")
        check("table_waiter.py: the table exists, its creation time a datetime",
              waited.returncode == 0 and waited.stdout.startswith("example-table ACTIVE since 20"),
              waited.stdout + waited.stderr[-800:])

        iam = boto3_client("iam")
        for name in ("ann", "bob", "cyd"):
            iam.create_user(UserName=name)
        users = [user["UserName"] for user in iam.list_users()["Users"]]
        paged = example("user_pages.py", "2")
        check("user_pages.py: MaxItems then the rest from the resume token",
              paged.returncode == 0 and paged.stdout == f"page 1: {users[:2]}\nthen: {users[2:]}\n",
              paged.stdout + paged.stderr[-800:])
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
