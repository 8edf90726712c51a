"""The same calls made with boto3 and with awsd's Python client on one
moto_server (signature checks on) return equal results, ResponseMetadata set
aside, and equal errors: exception class, code, message and text.

    client_vs_boto3_test.py BIN_DIR PYTHON_DIR

PYTHON_DIR holds the built awsd package (its message schema generated from proto/).
"""
import datetime
import os
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "cli"))
sys.path.insert(0, HERE)
PYTHON_DIR = sys.argv.pop(2)

import boto3  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.config  # noqa: E402
import python_path  # noqa: E402

python_path.use_built_package(PYTHON_DIR)

import awsd  # noqa: E402
from moto_support import REGION, Checks, awsd_against_moto, fetch, first_difference, mask_generated  # noqa: E402

AWSD_SIDE = "viaawsd"
BOTO3_SIDE = "viaboto3"


def outcome(call):
    try:
        return "ok", call()
    except Exception as error:  # both sides' errors are compared, whatever they are
        return "error", error


def comparable_result(result):
    result = dict(result)
    result.pop("ResponseMetadata", None)
    for key, value in list(result.items()):
        if hasattr(value, "read"):  # a StreamingBody: its bytes
            result[key] = value.read()
    return result


def comparable_error(error):
    response = getattr(error, "response", None)
    if response is not None:
        response = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    return {"class": type(error).__name__, "text": str(error), "response": response,
            "operation_name": getattr(error, "operation_name", None)}


class Comparison:
    def __init__(self, check, via_awsd, via_boto3):
        self.check = check
        self.clients = {AWSD_SIDE: via_awsd, BOTO3_SIDE: via_boto3}
        self.operations = set()

    def both(self, service, operation, params=None, generated=(), sides=None, expect="ok"):
        """Calls the operation both ways. `params` is a dict, or a function of
        the side for names each side creates for itself. Returns awsd's result."""
        self.operations.add(f"{service}.{operation}")
        results = {}
        for side, make_client in self.clients.items():
            kwargs = params(side) if callable(params) else dict(params or {})
            results[side] = outcome(lambda: getattr(make_client(service), operation)(**kwargs))
        (awsd_kind, awsd_value), (boto3_kind, boto3_value) = results[AWSD_SIDE], results[BOTO3_SIDE]
        name = f"{service}.{operation}({', '.join(sorted((params(AWSD_SIDE) if callable(params) else params or {})))})"
        self.check(f"{name}: boto3 answers {expect} (scenario sanity)", boto3_kind == expect, repr(boto3_value)[:300])
        self.check(f"{name}: awsd answers {expect}", awsd_kind == expect, repr(awsd_value)[:300])
        if awsd_kind != boto3_kind:
            return awsd_value
        side_tokens = (AWSD_SIDE, BOTO3_SIDE)
        if awsd_kind == "ok":
            a = mask_generated(comparable_result(awsd_value), generated, side_tokens)
            b = mask_generated(comparable_result(boto3_value), generated, side_tokens)
        else:
            a, b = comparable_error(awsd_value), comparable_error(boto3_value)
        difference = first_difference(a, b)
        self.check(f"{name}: same {'result' if awsd_kind == 'ok' else 'error'}", difference is None, difference)
        return awsd_value


def run_scenario(check, c):
    c.both("sts", "get_caller_identity")
    # S3 (rest-xml), with bodies streamed both ways.
    bucket = f"py-bucket-{AWSD_SIDE}"
    c.both("s3", "create_bucket", lambda side: {"Bucket": f"py-bucket-{side}"})
    payload = bytes(range(256)) * 300 + b"the end\n"
    c.both("s3", "put_object", lambda side: {"Bucket": f"py-bucket-{side}", "Key": "data.bin", "Body": payload})
    c.both("s3", "put_object", {"Bucket": bucket, "Key": "notes-a.txt", "Body": "text body",
                                "Metadata": {"team": "awsd"}})
    c.both("s3", "head_object", {"Bucket": bucket, "Key": "data.bin"})
    c.both("s3", "get_object", {"Bucket": bucket, "Key": "data.bin"})
    c.both("s3", "get_object", {"Bucket": bucket, "Key": "data.bin", "Range": "bytes=10-99"})
    c.both("s3", "list_objects_v2", {"Bucket": bucket})
    c.both("s3", "list_buckets")
    c.both("s3", "put_bucket_tagging", {"Bucket": bucket, "Tagging": {"TagSet": [{"Key": "k", "Value": "v"}]}})
    c.both("s3", "get_bucket_tagging", {"Bucket": bucket})
    c.both("s3", "copy_object", lambda side: {"Bucket": bucket, "Key": f"copy-{side}.bin",
                                              "CopySource": {"Bucket": bucket, "Key": "data.bin"}},
           generated=("CopyObjectResult.LastModified",))
    c.both("s3", "put_object", {"Bucket": bucket, "Key": "name with spaces.txt", "Body": b"spaced"})
    c.both("s3", "copy_object", lambda side: {"Bucket": bucket, "Key": f"copy-of-spaced-{side}.txt",
                                              "CopySource": f"{bucket}/name with spaces.txt"},
           generated=("CopyObjectResult.LastModified",))
    c.both("s3", "get_object", {"Bucket": bucket, "Key": "missing.bin"}, expect="error")
    c.both("s3", "head_object", {"Bucket": bucket, "Key": "missing.bin"}, expect="error")
    c.both("s3", "list_objects_v2", {"Bucket": "no-such-bucket-here"}, expect="error")
    c.both("route53", "create_hosted_zone", lambda side: {"Name": f"{side}.example.com", "CallerReference": side},
           generated=("HostedZone.Id", "Location", "ChangeInfo.Id", "ChangeInfo.SubmittedAt",
                      "DelegationSet.NameServers"))
    # IAM, SNS, CloudFormation (query).
    c.both("iam", "create_user", lambda side: {"UserName": f"user-{side}"},
           generated=("User.UserId", "User.CreateDate"))
    c.both("iam", "get_user", {"UserName": f"user-{AWSD_SIDE}"})
    c.both("iam", "list_users")
    c.both("iam", "get_user", {"UserName": "nobody-here"}, expect="error")
    c.both("sns", "create_topic", lambda side: {"Name": f"topic-{side}"})
    c.both("sns", "list_topics")
    c.both("cloudformation", "list_stacks")
    # EC2 (ec2).
    c.both("ec2", "describe_regions")
    c.both("ec2", "describe_availability_zones")
    vpc = c.both("ec2", "create_vpc", {"CidrBlock": "10.40.0.0/16"},
                 generated=("Vpc.VpcId", "Vpc.DhcpOptionsId", "Vpc.CidrBlockAssociationSet.*.AssociationId"))
    vpc_id = vpc["Vpc"]["VpcId"] if isinstance(vpc, dict) else "vpc-0"
    c.both("ec2", "describe_vpcs", {"VpcIds": [vpc_id]})
    c.both("ec2", "describe_vpcs", {"VpcIds": ["vpc-00000000"]}, expect="error")
    # SQS, DynamoDB, Logs, KMS, Secrets Manager (json).
    queue = c.both("sqs", "create_queue", lambda side: {"QueueName": f"queue-{side}"})
    queue_url = queue["QueueUrl"] if isinstance(queue, dict) else ""
    c.both("sqs", "send_message", {"QueueUrl": queue_url, "MessageBody": "hello",
                                   "MessageAttributes": {"raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}}},
           generated=("MessageId",))
    c.both("sqs", "get_queue_attributes", {"QueueUrl": queue_url, "AttributeNames": ["QueueArn", "VisibilityTimeout"]})
    table = f"table-{AWSD_SIDE}"
    c.both("dynamodb", "create_table", lambda side: {
        "TableName": f"table-{side}", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"},
        generated=("TableDescription.CreationDateTime", "TableDescription.TableId"))
    item = {"pk": {"S": "one"}, "n": {"N": "42"}, "blob": {"B": b"\x00\x01\xff"},
            "nested": {"M": {"list": {"L": [{"B": b"deep"}, {"S": "x"}]}}}, "blobs": {"BS": [b"a", b"b"]}}
    c.both("dynamodb", "put_item", {"TableName": table, "Item": item})
    c.both("dynamodb", "get_item", {"TableName": table, "Key": {"pk": {"S": "one"}}})
    c.both("dynamodb", "describe_table", {"TableName": table})
    c.both("dynamodb", "describe_table", {"TableName": "no-such-table"}, expect="error")
    c.both("logs", "create_log_group", lambda side: {"logGroupName": f"/py/{side}"})
    c.both("logs", "describe_log_groups", {"logGroupNamePrefix": "/py/"},
           generated=("logGroups.*.creationTime",))
    c.both("kms", "create_key", {"Description": "python client"},
           generated=("KeyMetadata.KeyId", "KeyMetadata.Arn", "KeyMetadata.CreationDate"))
    c.both("secretsmanager", "create_secret", lambda side: {"Name": f"secret-{side}", "SecretBinary": b"\x01\x02"},
           generated=("ARN", "VersionId"))
    c.both("secretsmanager", "get_secret_value", {"SecretId": f"secret-{AWSD_SIDE}"},
           generated=("ARN", "VersionId", "CreatedDate"))
    # API Gateway (rest-json, a signed POST: moto rejects signed rest-json GETs).
    c.both("apigateway", "create_rest_api", lambda side: {"name": f"api-{side}"},
           generated=("id", "createdDate", "rootResourceId"))
    # CloudWatch (smithy-rpc-v2-cbor), with datetimes in the input.
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    c.both("cloudwatch", "put_metric_data", lambda side: {"Namespace": f"py/{side}", "MetricData": [
        {"MetricName": "hits", "Value": 3.0, "Unit": "Count", "Timestamp": now}]})
    c.both("cloudwatch", "get_metric_statistics", {
        "Namespace": f"py/{AWSD_SIDE}", "MetricName": "hits", "StartTime": now - datetime.timedelta(minutes=5),
        "EndTime": now + datetime.timedelta(minutes=5), "Period": 60, "Statistics": ["Sum"]})
    check(f"at least 30 operations compared ({len(c.operations)})", len(c.operations) >= 30)
    return bucket


def check_beyond_calls(check, via_awsd, via_boto3, bucket):
    """Paginators, waiters, presigned URLs, exceptions and resources."""
    for name in ("awsd", "boto3"):
        client = (via_awsd if name == "awsd" else via_boto3)("s3")
        for i in range(7):
            client.put_object(Bucket=bucket, Key=f"pages-{name}-{i}", Body=b"x")
    a_s3, b_s3 = via_awsd("s3"), via_boto3("s3")
    config = {"MaxItems": 5, "PageSize": 2}
    a_pages = a_s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="pages", PaginationConfig=config)
    b_pages = b_s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="pages", PaginationConfig=config)
    a_list = [comparable_result(p) for p in a_pages]
    b_list = [comparable_result(p) for p in b_pages]
    check("paginator: same pages", first_difference(a_list, b_list) is None, first_difference(a_list, b_list))
    check("paginator: same resume token", a_pages.resume_token == b_pages.resume_token,
          f"{a_pages.resume_token} vs {b_pages.resume_token}")
    resumed = {"StartingToken": b_pages.resume_token}
    a_full = a_s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="pages",
                                                             PaginationConfig=resumed).build_full_result()
    b_full = b_s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="pages",
                                                             PaginationConfig=resumed).build_full_result()
    check("paginator: build_full_result from boto3's resume token", first_difference(a_full, b_full) is None,
          first_difference(a_full, b_full))
    check("paginator: can_paginate agrees", a_s3.can_paginate("list_objects_v2") and not a_s3.can_paginate("get_object"))

    a_s3.get_waiter("object_exists").wait(Bucket=bucket, Key="data.bin")
    check("waiter: object_exists returns for an object that exists", True)
    errors = []
    for client in (a_s3, b_s3):
        try:
            client.get_waiter("object_exists").wait(Bucket=bucket, Key="never.bin",
                                                   WaiterConfig={"Delay": 1, "MaxAttempts": 2})
        except Exception as error:
            errors.append(error)
    check("waiter: both raise WaiterError", [type(e).__name__ for e in errors] == ["WaiterError", "WaiterError"],
          errors)
    if len(errors) == 2:
        check("waiter: same text", str(errors[0]) == str(errors[1]), f"{errors[0]} vs {errors[1]}")
        check("waiter: same last_response Error", errors[0].last_response.get("Error") ==
              errors[1].last_response.get("Error"), f"{errors[0].last_response} vs {errors[1].last_response}")
    try:
        a_s3.get_waiter("no_such_waiter")
    except ValueError as error:
        check("waiter: an unknown name is boto3's ValueError", str(error) == "Waiter does not exist: no_such_waiter")

    url = a_s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "data.bin"}, ExpiresIn=300)
    reference = botocore_presigned_url(via_boto3, bucket, "data.bin", 300, url)
    check("generate_presigned_url: botocore's URL (SigV4, same signing time)", url == reference,
          f"\n     awsd:     {url}\n     botocore: {reference}")
    # moto_server answers 500 to SigV4 presigned URLs ("/" in X-Amz-Credential), botocore's too: same answer.
    check("generate_presigned_url: answered as botocore's", fetch(url) == fetch(reference))

    check("client.exceptions: modelled error classes", issubclass(a_s3.exceptions.NoSuchKey,
                                                                a_s3.exceptions.ClientError))
    try:
        a_s3.get_object(Bucket=bucket, Key="missing.bin")
    except a_s3.exceptions.NoSuchKey as error:
        check("client.exceptions.NoSuchKey is raised and caught", error.response["Error"]["Code"] == "NoSuchKey")
    try:
        a_s3.list_objects_v2(Bucket=bucket, NoSuchParameter=1)
    except awsd.exceptions.ParamValidationError as error:
        check("an unknown parameter is ParamValidationError naming it", "NoSuchParameter" in str(error), str(error))

    # Resources and collections against boto3's.
    a_resource = awsd.Session(socket_path=via_awsd.socket_path).resource("s3")
    b_resource = via_boto3.session.resource("s3", endpoint_url=via_boto3.endpoint)
    a_keys = [o.key for o in a_resource.Bucket(bucket).objects.filter(Prefix="pages-")]
    b_keys = [o.key for o in b_resource.Bucket(bucket).objects.filter(Prefix="pages-")]
    check("resource: the collection lists the same keys", a_keys == b_keys and len(a_keys) == 14, f"{a_keys} vs {b_keys}")
    a_limited = [o.key for o in a_resource.Bucket(bucket).objects.filter(Prefix="pages-").page_size(3).limit(4)]
    check("resource: page_size and limit", a_limited == b_keys[:4], a_limited)
    a_object, b_object = a_resource.Object(bucket, "notes-a.txt"), b_resource.Object(bucket, "notes-a.txt")
    for attribute in ("content_length", "e_tag", "metadata", "last_modified", "content_type"):
        a_value, b_value = getattr(a_object, attribute), getattr(b_object, attribute)
        check(f"resource: Object.{attribute} loads as boto3's", a_value == b_value, f"{a_value!r} vs {b_value!r}")
    check("resource: Object.get() streams the body", a_object.get()["Body"].read() == b"text body")
    check("resource: repr", repr(a_object) == repr(b_object), f"{a_object!r} vs {b_object!r}")
    deleted = a_resource.Bucket(bucket).objects.filter(Prefix="pages-awsd-").delete()
    check("resource: batch delete", sorted(d["Key"] for d in deleted[0]["Deleted"]) ==
          [f"pages-awsd-{i}" for i in range(7)], deleted)
    a_users = sorted(u.name for u in awsd.Session(socket_path=via_awsd.socket_path).resource("iam").users.all())
    b_users = sorted(u.name for u in via_boto3.session.resource("iam", endpoint_url=via_boto3.endpoint).users.all())
    check("resource: iam users collection (query)", a_users == b_users, f"{a_users} vs {b_users}")


def botocore_presigned_url(via_boto3, bucket, key, expires, url):
    """What botocore's generate_presigned_url (SigV4) gives at the time the URL was signed."""
    amz_date = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)).get("X-Amz-Date", "20000101T000000Z")
    fixed = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    client = via_boto3.session.client("s3", endpoint_url=via_boto3.endpoint,
                                      config=botocore.config.Config(signature_version="s3v4"))
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
    try:
        return client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires)
    finally:
        botocore.auth.get_current_datetime = original


class Clients:
    """The clients of one side, made once per service."""

    def __init__(self, make):
        self.make = make
        self.made = {}

    def __call__(self, service):
        if service not in self.made:
            self.made[service] = self.make(service)
        return self.made[service]


def main():
    check = Checks()
    with awsd_against_moto("awsd-python-", "python-admin") as setup:
        # The daemon has the key; the awsd side names only the socket.
        session = awsd.Session(socket_path=setup.socket_path)
        check("Session resolves the daemon's region and profile",
              (session.region_name, session.profile_name) == (REGION, "default"))
        via_awsd = Clients(session.client)
        via_awsd.socket_path = setup.socket_path
        boto3_session = boto3.Session(aws_access_key_id=setup.key["AccessKeyId"],
                                      aws_secret_access_key=setup.key["SecretAccessKey"], region_name=REGION)
        via_boto3 = Clients(lambda service: boto3_session.client(service, endpoint_url=setup.endpoint))
        via_boto3.session, via_boto3.endpoint = boto3_session, setup.endpoint
        comparison = Comparison(check, via_awsd, via_boto3)
        bucket = run_scenario(check, comparison)
        check_beyond_calls(check, via_awsd, via_boto3, bucket)
        print(f"{len(comparison.operations)} operations compared: {sorted(comparison.operations)}")
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
