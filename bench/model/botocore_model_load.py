#!/usr/bin/env python3
"""botocore's side of model loading: load and fully resolve each service
model (every operation and shape, which botocore otherwise parses lazily),
fresh each time, then the RSS of a process holding all five clients' models."""
import gc
import json
import time

import botocore.loaders
import botocore.model
import botocore.session

SERVICES = ["s3", "ec2", "dynamodb", "sts", "sqs"]


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


def load(name):
    loader = botocore.loaders.Loader()
    raw = loader.load_service_model(name, "service-2")
    model = botocore.model.ServiceModel(raw, name)
    for op in model.operation_names:
        operation = model.operation_model(op)
        operation.input_shape, operation.output_shape
    return model


out = {"load_ms": {}}
for name in SERVICES:
    load(name)  # warm the page cache
    times = []
    for _ in range(5):
        start = time.perf_counter()
        load(name)
        times.append((time.perf_counter() - start) * 1000)
    out["load_ms"][name] = min(times)

gc.collect()
before = rss_kib()
session = botocore.session.get_session()
clients = [session.create_client(name, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
           for name in SERVICES]
for client in clients:
    for op in client.meta.service_model.operation_names:
        client.meta.service_model.operation_model(op).input_shape
gc.collect()
after = rss_kib()
out["rss_kib_before"] = before
out["rss_kib_after"] = after
out["rss_kib_models"] = after - before
print(json.dumps(out))
