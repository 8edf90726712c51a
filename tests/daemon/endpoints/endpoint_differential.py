#!/usr/bin/env python3
"""Differential test: awsd's endpoint resolution against botocore's.

Two kinds of random cases (seeded, so a failure can be replayed):

* provider cases: random services, with rule-set parameters drawn from
  regions of every partition, bucket names (dotted, upper case, too short,
  63 and 64 characters, IP-like, ARNs of every kind), FIPS and dual-stack on
  and off, custom endpoints. botocore's EndpointProvider and
  awsd_endpoint_resolve must give the same URL, headers and properties, or
  the same error message.
* client cases: a real botocore client per case (its own config file and
  environment: use_fips_endpoint, use_dualstack_endpoint, the s3 block,
  sts_regional_endpoints, AWS_ENDPOINT_URL*, endpoint_url), calling an
  operation or presigning an S3 URL; the request is caught before it is
  sent. Its scheme, host, path and SigV4 credential scope (signing region and
  name) must be what awsd computes from the same configuration.

Exit status 0 only when every case agrees; the disagreements are printed.
Usage: endpoint_differential.py --tool path/to/awsd_endpoint_resolve
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from urllib.parse import parse_qs, urlsplit

try:
    import botocore
    import botocore.session
    from botocore.config import Config
    from botocore.endpoint_provider import EndpointProvider
    from botocore.exceptions import EndpointResolutionError
    from botocore.loaders import Loader
except ImportError as error:  # a missing reference is a failure, not a skip
    print(f"endpoint_differential: botocore is not importable: {error}", file=sys.stderr)
    sys.exit(2)

REGIONS = [
    "us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1", "ap-southeast-1", "ap-south-1",
    "ca-central-1", "sa-east-1", "me-south-1", "il-central-1", "mx-central-1", "af-south-1",
    "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1", "us-iso-east-1", "us-iso-west-1",
    "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "aws-global",
    "aws-cn-global", "us-east-10", "mars-east-1", "fips-us-gov-west-1",
]
BUCKETS = [
    "my-bucket", "my.dotted.bucket", "MyUpperBucket", "ab", "a" * 63, "b" * 64, "bucket-", "-bucket",
    "192.168.1.1", "bucket..name", "b_u", "my-bucket.s3", "x" * 3,
    "arn:aws:s3:us-west-2:123456789012:accesspoint:myap",
    "arn:aws:s3:us-west-2:123456789012:accesspoint/myap",
    "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint:myap",
    "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/banner",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/reports",
    "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
    "arn:aws:s3:us-west-2:123456789012", "arn:aws:sqs:us-west-2:123456789012:accesspoint:x",
    "mybucket--usw2-az1--x-s3", "mybucket--use1-az4--x-s3",
]
ENDPOINTS = [
    "https://example.com", "http://localhost:4566", "https://example.com/path/", "https://[::1]:8443",
    "http://192.168.0.1:9000", "https://s3-accelerate.amazonaws.com", "https://vpce-1a2b.s3.us-east-1.vpce.amazonaws.com",
    "https://example.com:99999", "ftp://example.com", "https://example.com?q=1",
]
STRINGS = ["abc", "my-resource", "arn:aws:dynamodb:us-east-1:123456789012:table/t", "123456789012", "", "a.b.c",
           "preferred", "disabled", "required", "data", "control"]
CLIENT_BUCKETS = [b for b in BUCKETS if "--x-s3" not in b]
PROFILE_REGION = "eu-west-3"


def load_rule_sets(loader):
    return {name: loader.load_service_model(name, "endpoint-rule-set-1")
            for name in loader.list_available_services("endpoint-rule-set-1")}


def provider_case(rng, service, rule_set):
    params = {}
    for name, spec in rule_set["parameters"].items():
        if rng.random() < 0.15:
            continue  # unset: default or None
        kind = spec["type"].lower()
        builtin = spec.get("builtIn")
        if kind == "boolean":
            params[name] = rng.random() < (0.25 if name in ("UseFIPS", "UseDualStack", "Accelerate") else 0.5)
        elif kind == "stringarray":
            params[name] = rng.sample(STRINGS, rng.randint(0, 2))
        elif builtin == "AWS::Region" or name == "Region":
            params[name] = rng.choice(REGIONS)
        elif builtin == "SDK::Endpoint":
            if rng.random() < 0.3:
                params[name] = rng.choice(ENDPOINTS)
        elif name in ("Bucket", "Name", "CopySource"):
            params[name] = rng.choice(BUCKETS)
        elif name == "AccountIdEndpointMode":
            params[name] = rng.choice(["preferred", "disabled", "required"])
        else:
            params[name] = rng.choice(STRINGS)
    return {"service": service, "params": params}


def botocore_provider(providers, case):
    provider = providers[case["service"]]
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in case["params"].items()}
    try:
        endpoint = provider.resolve_endpoint(**params)
    except EndpointResolutionError as error:
        return {"error": str(error)}
    except Exception as error:  # noqa: BLE001
        # A Python error inside botocore (a KeyError on an unset template
        # variable, a TypeError): only the failure is compared, not the text.
        return {"error": f"{type(error).__name__}: {error}", "crash": True}
    return {"url": endpoint.url, "headers": endpoint.headers, "properties": endpoint.properties}


def compare_provider(ours, theirs):
    if "error" in theirs:
        if "error" not in ours:
            return f"botocore failed ({theirs['error']}), awsd resolved {ours.get('url')}"
        if ours["error"] != theirs["error"] and not theirs.get("crash"):
            return f"errors differ: botocore {theirs['error']!r}, awsd {ours['error']!r}"
        return None
    if "error" in ours:
        return f"botocore resolved {theirs['url']}, awsd failed ({ours['error']})"
    for key in ("url", "headers", "properties"):
        if json.loads(json.dumps(theirs[key])) != ours.get(key):
            return f"{key} differs: botocore {theirs[key]!r}, awsd {ours.get(key)!r}"
    return None


def pick_operation(loader, service, rng, cache={}):
    if service not in cache:
        model = loader.load_service_model(service, "service-2")
        candidates = []
        for name, op in model["operations"].items():
            shape = op.get("input", {}).get("shape")
            required = model["shapes"][shape].get("required", []) if shape else []
            unsigned = op.get("authtype") == "none" or op.get("auth") == ["smithy.api#noAuth"]
            if not required and not op.get("deprecated") and "endpointdiscovery" not in op and not unsigned:
                candidates.append(name)
        cache[service] = (model, sorted(candidates))
    model, candidates = cache[service]
    return model, (rng.choice(candidates) if candidates else None)


def client_case(rng, loader, services):
    roll = rng.random()
    service = "s3" if roll < 0.4 else "s3control" if roll < 0.48 else "sts" if roll < 0.58 else rng.choice(services)
    case = {"service": service, "env": {}, "profile": {}, "config": {}, "presign": False}
    if service == "s3":
        case["operation"] = rng.choice(["GetObject"] * 4 + ["ListObjectsV2", "GetBucketLocation", "HeadBucket",
                                                            "ListBuckets"])
        if case["operation"] != "ListBuckets":
            case["input"] = {"Bucket": rng.choice(CLIENT_BUCKETS)}
        if case["operation"] == "GetObject":
            case["input"]["Key"] = "photos/cat.jpg"
            case["presign"] = rng.random() < 0.6
    elif service == "s3control":
        case["operation"] = "ListAccessPoints"
        case["input"] = {"AccountId": "123456789012"}
    else:
        model, operation = pick_operation(loader, service, rng)
        # SigV4 services only: a bearer-token or SigV2 request has no
        # credential scope to compare.
        metadata = model["metadata"]
        sigv4 = metadata.get("signatureVersion") in ("v4", "s3v4") or "aws.auth#sigv4" in metadata.get("auth", [])
        if operation is None or not sigv4:
            return None
        case["operation"] = operation
        case["input"] = {}
    region = rng.choice(REGIONS[:24] + [None])
    where = rng.random()
    if region is None:
        pass
    elif where < 0.7:
        case["region"] = region
    elif where < 0.85:
        case["env"]["AWS_DEFAULT_REGION"] = region
    else:
        case["profile"]["region"] = region
    for setting, env in (("use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT"),
                         ("use_dualstack_endpoint", "AWS_USE_DUALSTACK_ENDPOINT")):
        roll = rng.random()
        value = rng.random() < 0.7
        if roll < 0.15:
            case["config"][setting] = value
        elif roll < 0.3:
            case["env"][env] = "true" if value else "false"
        elif roll < 0.45:
            case["profile"][setting] = "true" if value else "false"
    if rng.random() < 0.12:
        url = rng.choice(["https://example.com", "http://localhost:4566", "https://s3-accelerate.amazonaws.com"])
        roll = rng.random()
        if roll < 0.3:
            case["endpoint_url"] = url
        elif roll < 0.5:
            case["env"]["AWS_ENDPOINT_URL"] = url
        elif roll < 0.7:
            case["env"]["AWS_ENDPOINT_URL_" + service.upper().replace("-", "_")] = url
        else:
            case["profile"]["endpoint_url"] = url
    if rng.random() < 0.2:
        case["profile"]["sts_regional_endpoints"] = rng.choice(["legacy", "regional"])
    if service in ("s3", "s3control"):
        block = {}
        if rng.random() < 0.3:
            block["addressing_style"] = rng.choice(["path", "virtual", "auto"])
        if rng.random() < 0.15:
            block["use_accelerate_endpoint"] = rng.choice(["true", "false"])
        if rng.random() < 0.25:
            block["us_east_1_regional_endpoint"] = rng.choice(["legacy", "regional"])
        if rng.random() < 0.2:
            block["use_arn_region"] = rng.choice(["true", "false"])
        if rng.random() < 0.1:
            block["use_dualstack_endpoint"] = "true"
        if block:
            if rng.random() < 0.5:
                case["profile"]["s3"] = block
            else:
                case["config"]["s3"] = {k: (v == "true" if v in ("true", "false") else v) for k, v in block.items()}
    return case


class StopSend(Exception):
    pass


def write_config(path, profile):
    with open(path, "w") as out:
        out.write("[default]\n")
        for key, value in profile.items():
            if isinstance(value, dict):
                out.write(f"{key} =\n")
                for sub_key, sub_value in value.items():
                    out.write(f"    {sub_key} = {sub_value}\n")
            else:
                out.write(f"{key} = {value}\n")


def botocore_client(loader, case, scratch):
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    config_path = os.path.join(scratch, "config")
    write_config(config_path, case["profile"])
    os.environ.update(case["env"])
    os.environ["AWS_CONFIG_FILE"] = config_path
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(scratch, "no-credentials")
    session = botocore.session.Session()
    session.register_component("data_loader", loader)
    captured = {}

    def before_send(request, **kwargs):
        captured["url"] = request.url
        captured["authorization"] = request.headers.get("Authorization", b"")
        raise StopSend()

    try:
        client = session.create_client(
            case["service"], region_name=case.get("region"), endpoint_url=case.get("endpoint_url"),
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="SECRET",
            config=Config(inject_host_prefix=False, retries={"max_attempts": 0}, **case["config"]))
        if case["presign"]:
            url = client.generate_presigned_url("get_object", Params=case["input"])
            credential = parse_qs(urlsplit(url).query).get("X-Amz-Credential", [""])[0]
            return {"url": url, "credential": credential, "presigned": True}
        client.meta.events.register_first("before-send", before_send)
        operation = getattr(client, botocore.xform_name(case["operation"]))
        operation(**case.get("input", {}))
    except StopSend:
        authorization = captured["authorization"]
        if isinstance(authorization, bytes):
            authorization = authorization.decode()
        match = re.search(r"Credential=([^,]+)", authorization)
        return {"url": captured["url"], "credential": match.group(1) if match else ""}
    except Exception as error:  # noqa: BLE001
        return {"error": f"{type(error).__name__}: {error}"}
    return {"error": "the call was not intercepted"}


def compare_client(ours, theirs):
    if "error" in theirs:
        if "error" in ours:
            return None
        # botocore without awscrt cannot sign sigv4a; awsd resolves the
        # endpoint and leaves the choice of signer to the signer.
        if "MissingDependencyException" in theirs["error"] and "signing" not in ours:
            return None
        # The signer, not the resolver, refuses a request with no region to
        # sign for; awsd then has an endpoint but no signing region either.
        if "NoRegionError" in theirs["error"] and ours.get("signing", {}).get("region") is None:
            return None
        return f"botocore failed ({theirs['error']}), awsd resolved {ours.get('url')}"
    if "error" in ours:
        return f"botocore sent to {theirs['url']}, awsd failed ({ours['error']})"
    mine, sent = urlsplit(ours["url"]), urlsplit(theirs["url"])
    if (mine.scheme, mine.netloc) != (sent.scheme, sent.netloc):
        return f"host differs: botocore {sent.scheme}://{sent.netloc}, awsd {mine.scheme}://{mine.netloc}"
    prefix = mine.path.rstrip("/")
    if not (sent.path == prefix or sent.path.startswith(prefix + "/")):
        return f"path differs: botocore {sent.path}, awsd endpoint path {mine.path}"
    scope = theirs["credential"].split("/")
    if len(scope) < 5:
        # botocore presigns some S3 URLs with SigV2 (AWSAccessKeyId and
        # Signature, no scope): which signer to use is the signer's
        # business, so only the URL is compared then.
        if theirs.get("presigned") and "AWSAccessKeyId=" in theirs["url"]:
            return None
        return f"no SigV4 scope in botocore's request ({theirs['credential']!r})"
    their_region, their_name = scope[2], scope[3]
    signing = ours.get("signing")
    if signing is None:
        return f"awsd found no supported auth scheme, botocore signed for {their_region}/{their_name}"
    if signing.get("region") != their_region:
        return f"signing region differs: botocore {their_region}, awsd {signing.get('region')}"
    if signing.get("signing_name") != their_name:
        return f"signing name differs: botocore {their_name}, awsd {signing.get('signing_name')}"
    return None


def run_tool(tool, cases):
    lines = "".join(json.dumps(dict(case, id=i)) + "\n" for i, case in enumerate(cases))
    result = subprocess.run([tool], input=lines, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{tool} exited with {result.returncode}: {result.stderr}")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    if len(answers) != len(cases):
        raise SystemExit(f"{tool} answered {len(answers)} of {len(cases)} requests")
    return answers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--provider-cases", type=int, default=3000)
    parser.add_argument("--client-cases", type=int, default=600)
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()
    if not os.access(args.tool, os.X_OK):
        raise SystemExit(f"no executable tool at {args.tool}")

    rng = random.Random(args.seed)
    loader = Loader()
    rule_sets = load_rule_sets(loader)
    partitions = loader.load_data("partitions")
    providers = {name: EndpointProvider(rule_set, partitions) for name, rule_set in rule_sets.items()}
    services = sorted(rule_sets)

    # Every service at least once, then S3 (the largest rule set) weighted up.
    provider_services = services + [rng.choice(services + ["s3"] * 40)
                                    for _ in range(max(0, args.provider_cases - len(services)))]
    provider_cases = [provider_case(rng, s, rule_sets[s]) for s in provider_services[:args.provider_cases]]
    client_cases = []
    while len(client_cases) < args.client_cases:
        case = client_case(rng, loader, services)
        if case is not None:
            client_cases.append(case)

    failures = []
    ours = run_tool(args.tool, provider_cases)
    for case, answer in zip(provider_cases, ours):
        problem = compare_provider(answer, botocore_provider(providers, case))
        if problem:
            failures.append(("provider", case, problem))

    ours = run_tool(args.tool, client_cases)
    outcomes = {"endpoint": 0, "error": 0, "presign": 0}
    with tempfile.TemporaryDirectory() as scratch:
        for case, answer in zip(client_cases, ours):
            theirs = botocore_client(loader, case, scratch)
            outcomes["error" if "error" in theirs else "endpoint"] += 1
            outcomes["presign"] += 1 if case["presign"] and "error" not in theirs else 0
            problem = compare_client(answer, theirs)
            if problem:
                failures.append(("client", case, problem + f" [awsd params: {answer.get('params')}]"))

    total = len(provider_cases) + len(client_cases)
    for kind, case, problem in failures:
        print(f"FAIL {kind}: {json.dumps(case)}\n     {problem}")
    print(f"endpoint-differential: {total - len(failures)} / {total} agree "
          f"({len(provider_cases)} provider cases over {len(set(c['service'] for c in provider_cases))} services, "
          f"{len(client_cases)} client cases: {outcomes['endpoint']} signed requests ({outcomes['presign']} presigned URLs), "
          f"{outcomes['error']} refused; "
          f"botocore {botocore.__version__})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
