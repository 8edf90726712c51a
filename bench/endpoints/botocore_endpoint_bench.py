#!/usr/bin/env python3
"""Times botocore's endpoint resolution on the cases of endpoint_cases.json.

For each case, microseconds per call of:
  <case>_Cached     EndpointProvider.resolve_endpoint (its lru_cache hit)
  <case>_Uncached   the same method with the cache bypassed (__wrapped__)
  <case>_CallPath   EndpointRulesetResolver.construct_endpoint of a real
                    client: parameters from built-ins and the operation's
                    context, then the (cached) provider
Prints one JSON object: {"name": microseconds, ...}.
"""

import json
import os
import sys
import time

import botocore.session
from botocore.endpoint_provider import EndpointProvider
from botocore.loaders import Loader

HERE = os.path.dirname(os.path.abspath(__file__))


def per_call_us(function, budget=0.3, repeats=3):
    """Best of `repeats` runs of about `budget` CPU seconds each. CPU time,
    like the awsd figures run.sh compares with: the machine may be shared."""
    function()
    count = 1
    while True:
        start = time.process_time()
        for _ in range(count):
            function()
        elapsed = time.process_time() - start
        if elapsed > budget / 10:
            break
        count *= 4
    count = max(1, int(count * budget / max(elapsed, 1e-9) / 1))
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(count):
            function()
        best = min(best, (time.process_time() - start) / count)
    return best * 1e6


def main():
    with open(os.path.join(HERE, "endpoint_cases.json")) as cases_file:
        cases = {k: v for k, v in json.load(cases_file).items() if not k.startswith("_")}
    loader = Loader()
    partitions = loader.load_data("partitions")
    session = botocore.session.Session()
    session.register_component("data_loader", loader)
    results = {}
    for name, case in cases.items():
        provider = EndpointProvider(loader.load_service_model(case["service"], "endpoint-rule-set-1"), partitions)
        params = case["params"]
        uncached = EndpointProvider.resolve_endpoint.__wrapped__
        results[name + "_Cached"] = per_call_us(lambda: provider.resolve_endpoint(**params))
        results[name + "_Uncached"] = per_call_us(lambda: uncached(provider, **params))
        client = session.create_client(case["service"], region_name=params["Region"],
                                       aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="SECRET")
        resolver = client._ruleset_resolver
        operation = client.meta.service_model.operation_model(case["operation"])
        call_input = case["input"]
        results[name + "_CallPath"] = per_call_us(lambda: resolver.construct_endpoint(operation, call_input, {}))
        # The two must agree, or the comparison is meaningless.
        url = provider.resolve_endpoint(**params).url
        if resolver.construct_endpoint(operation, call_input, {}).url != url:
            print(f"{name}: the client resolves a different endpoint than the parameters", file=sys.stderr)
            return 1
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
