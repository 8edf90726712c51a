#!/usr/bin/env python3
"""botocore's serialise + parse of a DynamoDB Query with the response in
argv[1]: serializer.serialize_to_request and the json parser, as one call
does them. Prints {"serialize_us", "parse_ms", "total_ms"} (best of N)."""
import json
import sys
import time

import botocore.session
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

body = open(sys.argv[1], "rb").read()
model = botocore.session.get_session().get_service_model("dynamodb")
op = model.operation_model("Query")
serializer = create_serializer("json", include_validation=True)
parser = create_parser("json")
params = {"TableName": "orders", "KeyConditionExpression": "pk = :pk",
          "ExpressionAttributeValues": {":pk": {"S": "user#1"}}, "Limit": 1000}
headers = {"x-amzn-requestid": "REQ", "content-type": "application/x-amz-json-1.0",
           "content-length": str(len(body))}


def once():
    start = time.perf_counter()
    serializer.serialize_to_request(params, op)
    middle = time.perf_counter()
    parser.parse({"status_code": 200, "headers": headers, "body": body}, op.output_shape)
    end = time.perf_counter()
    return middle - start, end - middle


once()
runs = [once() for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 10)]
serialize = min(r[0] for r in runs)
parse = min(r[1] for r in runs)
print(json.dumps({"serialize_us": serialize * 1e6, "parse_ms": parse * 1e3, "total_ms": (serialize + parse) * 1e3}))
