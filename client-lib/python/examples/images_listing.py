"""The seed's comparison, as the C++ example makes it: every object under a
prefix of a bucket, listed with a client paginator and with a resource
collection, checked to be the same keys; then a wait until an object arrives.

    python3 images_listing.py BUCKET [KEY_TO_WAIT_FOR [PREFIX]]     (PREFIX: images/)

Exits 0 when both listings agree (and the object arrived), 1 otherwise.
"""
import sys

import awsd


def keys_by_paginator(s3, bucket, prefix):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def keys_by_collection(s3, bucket, prefix):
    return {summary.key for summary in s3.Bucket(bucket).objects.filter(Prefix=prefix)}


def main(argv):
    if len(argv) < 2:
        print("usage: images_listing.py BUCKET [KEY_TO_WAIT_FOR [PREFIX]]", file=sys.stderr)
        return 2
    bucket = argv[1]
    prefix = argv[3] if len(argv) > 3 else "images/"
    session = awsd.Session()
    by_paginator = keys_by_paginator(session.client("s3"), bucket, prefix)
    by_collection = keys_by_collection(session.resource("s3"), bucket, prefix)
    print(f"{len(by_paginator)} keys by paginator, {len(by_collection)} by collection")
    if by_paginator != by_collection:
        print(f"they differ: {sorted(by_paginator ^ by_collection)}", file=sys.stderr)
        return 1
    if len(argv) > 2:
        # The daemon polls; this process only waits for the answer.
        session.client("s3").get_waiter("object_exists").wait(Bucket=bucket, Key=argv[2])
        print(f"{argv[2]} exists")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
