"""Resources and collections of the C++ client library (awsd/resources/)
give what boto3's resource API gives on the same moto_server.

    resources_against_moto_test.py BIN_DIR

BIN_DIR holds awsd, awsctl and awsd_resource_lines (the test tool that runs
resource commands through the daemon, one JSON line each). Every command is
run through the tool and with boto3.resource(...) on the same server with
the same key; listings and attributes must be equal value for value.
Destructive commands (actions, batch actions) run on per-side copies
("viaawsd" / "viaboto3" in their names) and their answers are compared with
that token masked.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "cli"))

import boto3  # noqa: E402
import botocore.exceptions  # noqa: E402
from botocore import xform_name  # noqa: E402

from moto_support import (BIN_DIR, REGION, Checks, create_admin_key, first_difference,  # noqa: E402
                          free_port, listening, mask_generated, moto_environments, start_daemon, start_moto,
                          stop_processes, wait_until)

DAEMON_SIDE = "viaawsd"
BOTO_SIDE = "viaboto3"


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        import base64
        return base64.b64encode(value).decode()
    return value


def describe(resource, attributes):
    out = {"type": resource.meta.resource_model.name,
           "ids": {name: getattr(resource, name) for name in resource.meta.identifiers}}
    if attributes:
        out["attrs"] = {name: jsonable(getattr(resource, xform_name(name))) for name in attributes}
    return out


def describe_action(result, attributes):
    if isinstance(result, list) and all(hasattr(r, "meta") for r in result) and result:
        return {"resources": [describe(r, attributes) for r in result]}
    if hasattr(result, "meta"):
        return {"resources": [describe(result, attributes)]}
    if isinstance(result, dict):
        return {"value": jsonable(result)}
    return {"value": jsonable(result)}


class Scenario:
    def __init__(self, check, tool, endpoint, key):
        self.check = check
        self.tool = tool
        self.session = boto3.Session(aws_access_key_id=key["AccessKeyId"],
                                     aws_secret_access_key=key["SecretAccessKey"], region_name=REGION)
        self.endpoint = endpoint
        self.resources = {}
        self.compared = 0

    def resource(self, service):
        if service not in self.resources:
            self.resources[service] = self.session.resource(service, endpoint_url=self.endpoint)
        return self.resources[service]

    def client(self, service):
        return self.resource(service).meta.client

    def via_awsd(self, command):
        self.tool.stdin.write(json.dumps(command) + "\n")
        self.tool.stdin.flush()
        line = self.tool.stdout.readline()  # bounded by the client's 30 s deadline
        if not line:
            raise AssertionError("awsd_resource_lines exited")
        return json.loads(line)

    def via_boto3(self, command):
        target = self.resource(command["service"])
        if "resource" in command:
            name, ids = command["resource"]
            target = getattr(target, name)(*ids)
        for name, ids in command.get("sub", []):
            target = getattr(target, name)(*ids)
        op = command["op"]
        name = command.get("name", "")
        params = command.get("params", {})
        attributes = command.get("attributes", [])
        try:
            if op in ("collection", "batch"):
                collection = getattr(target, xform_name(command.get("collection", name)))
                collection = collection.filter(**command["filter"]) if "filter" in command else collection.all()
                if "limit" in command:
                    collection = collection.limit(command["limit"])
                if "page_size" in command:
                    collection = collection.page_size(command["page_size"])
                if op == "batch":
                    return {"result": [describe_action(r, attributes)
                                       for r in getattr(collection, xform_name(name))(**params)]}
                return {"result": [describe(item, attributes) for item in collection]}
            if op == "attributes":
                return {"result": describe(target, attributes)}
            if op in ("load", "reload"):
                getattr(target, op)()
                return {"result": describe(target, attributes)}
            if op == "action":
                return {"result": describe_action(getattr(target, xform_name(name))(**params), attributes)}
            if op == "reference":
                referenced = getattr(target, xform_name(name))
                referenced = [] if referenced is None else referenced if isinstance(referenced, list) else [referenced]
                return {"result": [describe(r, attributes) for r in referenced]}
        except botocore.exceptions.ClientError as error:
            return {"error": {"service_code": error.response["Error"].get("Code", "")}}
        raise AssertionError(f"unknown op {op}")

    def both(self, what, command, boto_command=None, generated=(), sort_key=None, expect_items=None,
             expect_error=None):
        """Runs the command both ways; checks the answers are equal once
        `generated` paths and the side tokens are masked. Returns the daemon's."""
        self.compared += 1
        mine = self.via_awsd(command)
        theirs = self.via_boto3(boto_command or command)
        if "error" in mine or "error" in theirs:
            # Errors only where the command means one: both sides failing alike
            # (a moto quirk) must not pass for a comparison.
            self.check(what, mine.get("error", {}).get("service_code") == expect_error and
                       theirs.get("error", {}).get("service_code") == expect_error, f"awsd {mine} vs boto3 {theirs}")
            return mine
        a = mask_generated(mine["result"], generated, (DAEMON_SIDE, BOTO_SIDE))
        b = mask_generated(theirs["result"], generated, (DAEMON_SIDE, BOTO_SIDE))
        if sort_key:
            a, b = sorted(a, key=sort_key), sorted(b, key=sort_key)
        difference = first_difference(a, b)
        self.check(what, difference is None, difference)
        if expect_items is not None:
            self.check(f"{what}: {expect_items} items", len(mine["result"]) == expect_items, len(mine["result"]))
        return mine


def ids_of(item):
    return json.dumps(item["ids"], sort_keys=True)


def run_s3(s):
    s3 = s.client("s3")
    bucket = "res-images"
    s3.create_bucket(Bucket=bucket)
    for i in range(23):
        s3.put_object(Bucket=bucket, Key=f"images/{i:03}.png", Body=b"x" * i)
    for i in range(4):
        s3.put_object(Bucket=bucket, Key=f"docs/{i}.txt", Body=b"doc")
    objects = {"service": "s3", "resource": ["Bucket", [bucket]], "op": "collection", "collection": "objects"}
    s.both("s3 bucket.objects.filter(Prefix='images') with size, e_tag, last_modified, storage_class",
           dict(objects, filter={"Prefix": "images"}, attributes=["size", "e_tag", "last_modified", "storage_class"]),
           expect_items=23)
    s.both("s3 bucket.objects.all()", objects, expect_items=27)
    s.both("s3 bucket.objects.page_size(5).limit(12)", dict(objects, page_size=5, limit=12), expect_items=12)
    s.both("s3 buckets.all() with creation_date (from ListBuckets)",
           {"service": "s3", "op": "collection", "collection": "buckets", "attributes": ["creation_date"]})
    obj = {"service": "s3", "resource": ["Object", [bucket, "images/007.png"]],
           "attributes": ["content_length", "e_tag", "content_type", "last_modified"]}
    s.both("s3 Object attributes loaded lazily (HeadObject)", dict(obj, op="attributes"))
    s3.put_object(Bucket=bucket, Key="images/007.png", Body=b"longer body now")
    s.both("s3 Object.reload() after the object changed", dict(obj, op="reload"))
    s.both("s3 bucket.Object(key) sub-resource, its size",
           {"service": "s3", "resource": ["Bucket", [bucket]], "sub": [["Object", ["docs/1.txt"]]],
            "op": "attributes", "attributes": ["content_length"]})
    s.both("s3 Bucket.creation_date (boto3's ListBuckets load)",
           {"service": "s3", "resource": ["Bucket", [bucket]], "op": "attributes", "attributes": ["creation_date"]})
    # Destructive: per-side buckets with the same keys.
    for side in (DAEMON_SIDE, BOTO_SIDE):
        s3.create_bucket(Bucket=f"res-batch-{side}")
        for i in range(7):
            s3.put_object(Bucket=f"res-batch-{side}", Key=f"tmp/{i}", Body=b"t")
        s3.put_object(Bucket=f"res-batch-{side}", Key="keep/1", Body=b"k")
    side_cmd = lambda side, **kw: dict({"service": "s3", "resource": ["Bucket", [f"res-batch-{side}"]]}, **kw)  # noqa
    s.both("s3 bucket.objects.filter(Prefix='tmp').page_size(3).delete() (DeleteObjects per page)",
           side_cmd(DAEMON_SIDE, op="batch", collection="objects", name="delete", filter={"Prefix": "tmp"},
                    page_size=3),
           side_cmd(BOTO_SIDE, op="batch", collection="objects", name="delete", filter={"Prefix": "tmp"},
                    page_size=3),
           generated=("*.value.ResponseMetadata",), expect_items=3)
    left = s.both("s3 what the batch delete left", side_cmd(DAEMON_SIDE, op="collection", collection="objects"),
                  side_cmd(BOTO_SIDE, op="collection", collection="objects"))
    s.check("s3 batch delete left only keep/1",
            [i["ids"]["key"] for i in left.get("result", [])] == ["keep/1"], left)
    s.both("s3 Object.delete() action",
           {"service": "s3", "resource": ["Object", [f"res-batch-{DAEMON_SIDE}", "keep/1"]], "op": "action",
            "name": "delete"},
           {"service": "s3", "resource": ["Object", [f"res-batch-{BOTO_SIDE}", "keep/1"]], "op": "action",
            "name": "delete"}, generated=("value.ResponseMetadata",))
    s.both("s3 Object load of a missing key is the same error",
           {"service": "s3", "resource": ["Object", [bucket, "nope"]], "op": "load"}, expect_error="404")


def run_dynamodb(s):
    ddb = s.client("dynamodb")
    for i in range(4):
        ddb.create_table(TableName=f"res-table-{i}", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
    s.both("dynamodb tables.all()", {"service": "dynamodb", "op": "collection", "collection": "tables"},
           expect_items=4)
    s.both("dynamodb tables.limit(3).page_size(2)",
           {"service": "dynamodb", "op": "collection", "collection": "tables", "limit": 3, "page_size": 2},
           expect_items=3)
    s.both("dynamodb Table attributes (DescribeTable load)",
           {"service": "dynamodb", "resource": ["Table", ["res-table-1"]], "op": "load",
            "attributes": ["table_status", "item_count", "key_schema", "table_arn", "creation_date_time"]})
    # boto3's dynamodb resource converts Python values to typed attribute
    # values (a customisation outside the resource model); awsd takes them typed.
    s.both("dynamodb Table.put_item action",
           {"service": "dynamodb", "resource": ["Table", ["res-table-2"]], "op": "action", "name": "put_item",
            "params": {"Item": {"id": {"S": "1"}}}},
           {"service": "dynamodb", "resource": ["Table", ["res-table-2"]], "op": "action", "name": "put_item",
            "params": {"Item": {"id": "1"}}}, generated=("value.ResponseMetadata",))


def run_sqs(s):
    sqs = s.client("sqs")
    for name in ("res-q-a", "res-q-b", "other-q"):
        sqs.create_queue(QueueName=name)
    s.both("sqs queues.all()", {"service": "sqs", "op": "collection", "collection": "queues"}, expect_items=3)
    s.both("sqs queues.filter(QueueNamePrefix='res-')",
           {"service": "sqs", "op": "collection", "collection": "queues", "filter": {"QueueNamePrefix": "res-"}},
           expect_items=2)
    url = sqs.get_queue_url(QueueName="res-q-a")["QueueUrl"]
    s.both("sqs Queue.attributes (GetQueueAttributes load)",
           {"service": "sqs", "resource": ["Queue", [url]], "op": "attributes", "attributes": ["attributes"]})
    s.both("sqs service action get_queue_by_name makes a Queue",
           {"service": "sqs", "op": "action", "name": "get_queue_by_name", "params": {"QueueName": "res-q-b"}})
    s.both("sqs Queue.send_message action",
           {"service": "sqs", "resource": ["Queue", [url]], "op": "action", "name": "send_message",
            "params": {"MessageBody": "hello"}},
           generated=("value.MessageId", "value.ResponseMetadata"))


def run_ec2(s):
    ec2 = s.client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.42.1.0/24")["Subnet"]["SubnetId"]
    ec2.run_instances(ImageId=image, MinCount=3, MaxCount=3, InstanceType="t2.micro", SubnetId=subnet)
    s.both("ec2 instances.all() with instance_type, vpc_id",
           {"service": "ec2", "op": "collection", "collection": "instances",
            "attributes": ["instance_type", "vpc_id", "subnet_id"]}, sort_key=ids_of, expect_items=3)
    s.both("ec2 instances.filter(Filters=vpc-id).limit(2)",
           {"service": "ec2", "op": "collection", "collection": "instances", "limit": 2,
            "filter": {"Filters": [{"Name": "vpc-id", "Values": [vpc]}]}}, expect_items=2)
    s.both("ec2 vpcs.all() with cidr_block", {"service": "ec2", "op": "collection", "collection": "vpcs",
                                              "attributes": ["cidr_block", "is_default"]}, sort_key=ids_of)
    instance = ec2.describe_instances(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Reservations"][0][
        "Instances"][0]["InstanceId"]
    s.both("ec2 Instance attributes (DescribeInstances load)",
           {"service": "ec2", "resource": ["Instance", [instance]], "op": "attributes",
            "attributes": ["instance_type", "image_id", "private_ip_address"]})
    s.both("ec2 Instance.vpc reference (from data)",
           {"service": "ec2", "resource": ["Instance", [instance]], "op": "reference", "name": "vpc",
            "attributes": ["cidr_block"]})
    s.both("ec2 Vpc.subnets collection",
           {"service": "ec2", "resource": ["Vpc", [vpc]], "op": "collection", "collection": "subnets",
            "attributes": ["cidr_block"]}, expect_items=1)


def run_iam(s):
    iam = s.client("iam")
    for i in range(7):
        iam.create_user(UserName=f"res-user-{i}", Path="/res/")
    users = {"service": "iam", "op": "collection", "collection": "users"}
    s.both("iam users.all()", users, expect_items=8)
    s.both("iam users.filter(PathPrefix='/res/') with arn, path",
           dict(users, filter={"PathPrefix": "/res/"}, attributes=["arn", "path", "create_date"]), expect_items=7)
    s.both("iam users.page_size(2).limit(5)", dict(users, page_size=2, limit=5), expect_items=5)
    s.both("iam User.load()", {"service": "iam", "resource": ["User", ["res-user-3"]], "op": "load",
                               "attributes": ["arn", "user_id", "path"]})


def run_sns(s):
    sns = s.client("sns")
    arns = [sns.create_topic(Name=f"res-topic-{i}")["TopicArn"] for i in range(3)]
    s.both("sns topics.all()", {"service": "sns", "op": "collection", "collection": "topics"}, expect_items=3)
    s.both("sns Topic.attributes (GetTopicAttributes load)",
           {"service": "sns", "resource": ["Topic", [arns[0]]], "op": "attributes", "attributes": ["attributes"]})
    s.both("sns service create_topic action makes a Topic",
           {"service": "sns", "op": "action", "name": "create_topic", "params": {"Name": "res-topic-0"}})


def run_cloudwatch(s):
    cw = s.client("cloudwatch")
    cw.put_metric_data(Namespace="Res/Test", MetricData=[
        {"MetricName": name, "Value": 1.0, "Unit": "Count"} for name in ("hits", "misses", "errors")])
    s.both("cloudwatch metrics.filter(Namespace='Res/Test')",
           {"service": "cloudwatch", "op": "collection", "collection": "metrics", "filter": {"Namespace": "Res/Test"}},
           sort_key=ids_of, expect_items=3)
    for side in (DAEMON_SIDE, BOTO_SIDE, "keep"):
        for i in range(3):
            cw.put_metric_alarm(AlarmName=f"res-alarm-{side}-{i}", MetricName="hits", Namespace="Res/Test",
                                Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=5.0,
                                ComparisonOperator="GreaterThanThreshold")
    s.both("cloudwatch alarms.filter(AlarmNamePrefix='res-alarm-keep') with state_value, threshold",
           {"service": "cloudwatch", "op": "collection", "collection": "alarms",
            "filter": {"AlarmNamePrefix": "res-alarm-keep"}, "attributes": ["state_value", "threshold"]},
           expect_items=3)
    s.both("cloudwatch Alarm load", {"service": "cloudwatch", "resource": ["Alarm", ["res-alarm-keep-1"]],
                                     "op": "load", "attributes": ["metric_name", "comparison_operator"]})
    s.both("cloudwatch alarms.filter(prefix).delete() batch action",
           {"service": "cloudwatch", "op": "batch", "collection": "alarms", "name": "delete",
            "filter": {"AlarmNamePrefix": f"res-alarm-{DAEMON_SIDE}"}},
           {"service": "cloudwatch", "op": "batch", "collection": "alarms", "name": "delete",
            "filter": {"AlarmNamePrefix": f"res-alarm-{BOTO_SIDE}"}}, generated=("*.value.ResponseMetadata",))
    after = s.via_awsd({"service": "cloudwatch", "op": "collection", "collection": "alarms"})
    names = sorted(item["ids"]["name"] for item in after.get("result", []))
    s.check("cloudwatch batch delete removed both sides' alarms only",
            names == [f"res-alarm-keep-{i}" for i in range(3)], names)


def main():
    check = Checks()
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="awsd-resources-moto-")
    socket_path = os.path.join(work, "awsd.sock")
    moto = start_moto(port)
    daemon_process = None
    tool = None
    try:
        wait_until(lambda: listening(port), "moto_server")
        key = create_admin_key(endpoint, "res-admin")
        daemon_env = moto_environments(work, key, endpoint)[0]
        daemon_process = start_daemon(socket_path, daemon_env, os.path.join(work, "awsd.log"))
        tool = subprocess.Popen([os.path.join(BIN_DIR, "awsd_resource_lines"), socket_path],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        scenario = Scenario(check, tool, endpoint, key)

        unknown = scenario.via_awsd({"service": "lambda", "op": "collection", "collection": "functions"})
        check("a service without a resource model is NOT_FOUND naming it",
              unknown.get("error", {}).get("code") == 5 and "lambda" in unknown["error"]["message"], unknown)

        for part in (run_s3, run_dynamodb, run_sqs, run_ec2, run_iam, run_sns, run_cloudwatch):
            try:
                part(scenario)
            except Exception as error:  # a broken part must not hide the others
                check(f"{part.__name__} ran to its end", False, repr(error))
        print(f"{scenario.compared} commands compared with boto3")
        check("at least 35 commands compared", scenario.compared >= 35, scenario.compared)

        # The example program: paginator and collection agree; the waiter
        # sees an object written three seconds later.
        s3 = scenario.client("s3")
        # Prefix "images", not "images/": moto rejects signatures on S3 query
        # values holding "/" (botocore's as well).
        example = subprocess.Popen([os.path.join(BIN_DIR, "awsd_images_listing"), "res-images", "images/late.png",
                                    "images"],
                                   env=dict(os.environ, AWSD_SOCKET=socket_path), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            import time
            time.sleep(3)
            s3.put_object(Bucket="res-images", Key="images/late.png", Body=b"late")
            out, err = example.communicate(timeout=90)
        finally:
            if example.poll() is None:
                example.kill()
                example.wait()
        check("images_listing: paginator and collection agree, then the object arrives",
              example.returncode == 0 and "arrived" in out, f"rc {example.returncode} {out} {err}")
    finally:
        if tool:
            tool.stdin.close()
            try:
                tool.wait(timeout=10)
            except subprocess.TimeoutExpired:
                tool.kill()
                tool.wait()
        stop_processes(daemon_process, moto)
        subprocess.run(["rm", "-rf", work])
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
