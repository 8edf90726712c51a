#!/usr/bin/env python3
"""Times botocore's signers on the requests sign_bench signs.

Each request is built before the clock starts (botocore's presigner rewrites
the URL, so a request cannot be signed twice); only add_auth is timed.
Prints one JSON object: {"name": microseconds per signature, ...}.
"""

import argparse
import json
import time

from botocore.auth import S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")


def small_get():
    return AWSRequest(method="GET", url="https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")


def post_1kib():
    request = AWSRequest(method="POST", url="https://dynamodb.us-east-1.amazonaws.com/", data=b"x" * 1024)
    request.headers["Content-Type"] = "application/x-amz-json-1.0"
    request.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
    return request


def presign_s3():
    return AWSRequest(method="GET", url="https://examplebucket.s3.us-east-1.amazonaws.com/photos/2024/cat.jpg")


CASES = {
    "SigV4_SmallGet": (lambda: SigV4Auth(CREDENTIALS, "iam", "us-east-1"), small_get),
    "SigV4_Post1KiB": (lambda: SigV4Auth(CREDENTIALS, "dynamodb", "us-east-1"), post_1kib),
    "SigV4_PresignS3": (lambda: S3SigV4QueryAuth(CREDENTIALS, "s3", "us-east-1", expires=3600), presign_s3),
}


def time_case(make_signer, make_request, iterations, repeats):
    signer = make_signer()
    best = float("inf")
    for _ in range(repeats):
        requests = [make_request() for _ in range(iterations)]
        start = time.perf_counter()
        for request in requests:
            signer.add_auth(request)
        best = min(best, (time.perf_counter() - start) / iterations)
    return best * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    results = {name: round(time_case(*case, args.iterations, args.repeats), 3) for name, case in CASES.items()}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
