"""Paginators and waiters run by the daemon, against the AWS CLI v1 (`aws`)
and boto3 on the same moto_server (signature checks on).

    paginate_and_wait_vs_aws_test.py BIN_DIR

- `awsctl` against `aws`: S3 listings of 2,500 keys merged, cut with
  --max-items and resumed with --starting-token (the tokens are botocore's,
  byte for byte), --page-size, text output, --query on the merged result;
  DynamoDB scan with --page-size; IAM users; the waiters object-exists
  (object written 3 s after the wait starts) and instance-running meeting its
  failure state, with botocore's message.
- The client library's page range (awsd_invoke_lines "paginate") against
  boto3's paginator: the same pages, cut at the same place.

moto rejects signatures on S3 query values holding "/" (botocore's too), so
prefixes here have none.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3

from awsctl_vs_aws_test import AWS_SIDE, AWSCTL_SIDE, Scenario
from moto_support import (BIN_DIR, REGION, Checks, create_admin_key, first_difference, free_port, listening,
                          moto_environments, start_daemon, start_moto, stop_processes, wait_until)

BUCKET = "pg-listing"
KEYS = [f"images/img-{i:04d}.jpg" for i in range(2000)] + [f"docs/doc-{i:04d}.txt" for i in range(500)]


def populate(session, endpoint):
    s3 = session.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket=BUCKET)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=BUCKET, Key=key, Body=b"x"), KEYS))
    dynamodb = session.client("dynamodb", endpoint_url=endpoint)
    dynamodb.create_table(TableName="pg-table", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")
    for i in range(60):
        dynamodb.put_item(TableName="pg-table", Item={"id": {"S": f"item-{i:03d}"}, "n": {"N": str(i)}})
    iam = session.client("iam", endpoint_url=endpoint)
    for i in range(30):
        iam.create_user(UserName=f"pg-user-{i:02d}")


def run_listings(s):
    full, _ = s.both(["s3api", "list-objects-v2", "--bucket", BUCKET])
    keys = [item["Key"] for item in full.get("Contents", [])]
    s.check("list-objects-v2: all 2,500 keys merged from 3 pages", sorted(keys) == sorted(KEYS), f"{len(keys)} keys")

    cut, cut_aws = s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "images", "--max-items", "1200"])
    s.check("--max-items 1200: 1200 keys and a NextToken", len(cut.get("Contents", [])) == 1200 and "NextToken" in cut)
    s.check("--max-items: awsctl's NextToken is the AWS CLI's, byte for byte",
            cut.get("NextToken") == cut_aws.get("NextToken"), f"{cut.get('NextToken')} vs {cut_aws.get('NextToken')}")
    token = cut.get("NextToken", "")
    rest, _ = s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "images", "--starting-token", token,
                      "--max-items", "500"])
    s.check("--starting-token resumes inside the cut page",
            [item["Key"] for item in rest.get("Contents", [])] == KEYS[1200:1700])

    # Resumed across separate awsctl processes until the listing ends.
    seen, token, rounds = [], None, 0
    while rounds < 10:
        rounds += 1
        args = ["s3api", "list-objects-v2", "--bucket", BUCKET, "--max-items", "1000"]
        if token:
            args += ["--starting-token", token]
        out = s.run_awsctl(args)
        page = json.loads(out.stdout) if out.returncode == 0 and out.stdout.strip() else {}
        seen += [item["Key"] for item in page.get("Contents", [])]
        token = page.get("NextToken")
        if not token:
            break
    s.check("three awsctl runs of --max-items 1000 resumed with --starting-token list every key once",
            sorted(seen) == sorted(KEYS) and rounds == 3, f"{len(seen)} keys in {rounds} runs")

    s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--page-size", "300", "--max-items", "700"])
    s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--max-items", "5", "--output", "text"], text=True)
    s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--page-size", "2", "--max-items", "5", "--output", "text",
            "--query", "Contents[].Key"], text=True)
    s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--query", "length(Contents)"])
    s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "docs", "--query",
            "Contents[?ends_with(Key, `7.txt`)].Key"])
    s.both(["s3api", "list-objects", "--bucket", BUCKET, "--max-items", "1001"])
    s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--max-keys", "3"])  # a limit key given: one call
    s.both(["s3api", "list-objects-v2", "--bucket", BUCKET, "--no-paginate", "--max-items", "3"], outcome="usage")
    s.both(["s3api", "list-objects-v2", "--bucket", "pg-missing"], outcome="service")

    scan, _ = s.both(["dynamodb", "scan", "--table-name", "pg-table", "--page-size", "7"])
    s.check("dynamodb scan --page-size 7: 60 items, Count and ScannedCount summed over 9 pages",
            len(scan.get("Items", [])) == 60 and scan.get("Count") == 60 and scan.get("ScannedCount") == 60,
            json.dumps({k: v for k, v in scan.items() if k != "Items"}))
    cut, _ = s.both(["dynamodb", "scan", "--table-name", "pg-table", "--page-size", "7", "--max-items", "10"])
    s.both(["dynamodb", "scan", "--table-name", "pg-table", "--page-size", "7", "--max-items", "10", "--starting-token",
            cut.get("NextToken", "")])
    s.both(["dynamodb", "scan", "--table-name", "pg-table", "--page-size", "7", "--max-items", "9", "--output", "text"],
           text=True)

    s.both(["iam", "list-users", "--max-items", "12", "--query", "Users[].UserName"])
    s.both(["iam", "list-users", "--page-size", "5", "--query", "Users[?starts_with(UserName, `pg-`)].UserName"])
    s.both(["iam", "list-users", "--page-size", "5", "--max-items", "12", "--output", "text", "--query",
            "Users[].UserName"], text=True)


def run_waiters(s):
    def timed_wait(run, key):
        writer = threading.Timer(3.0, lambda: s.boto_s3.put_object(Bucket=BUCKET, Key=key, Body=b"late"))
        started = time.monotonic()
        writer.start()
        try:
            result = run(["s3api", "wait", "object-exists", "--bucket", BUCKET, "--key", key])
        finally:
            writer.cancel()
            writer.join()
        return result, time.monotonic() - started

    mine, mine_took = timed_wait(s.run_awsctl, f"late-{AWSCTL_SIDE}.txt")
    theirs, theirs_took = timed_wait(s.run_aws, f"late-{AWS_SIDE}.txt")
    s.commands += 2
    s.check("s3api wait object-exists: the AWS CLI waits for the object written after 3 s (sanity)",
            theirs.returncode == 0 and theirs_took >= 3, f"exit {theirs.returncode} after {theirs_took:.1f}s")
    s.check("s3api wait object-exists: awsctl exits 0 with nothing printed once the object is there",
            mine.returncode == 0 and mine.stdout == "" and 3 <= mine_took < 20,
            f"exit {mine.returncode} after {mine_took:.1f}s: {mine.stderr[-300:]}")

    ec2 = s.boto_ec2
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[instance])
    mine = s.run_awsctl(["ec2", "wait", "instance-running", "--instance-ids", instance])
    theirs = s.run_aws(["ec2", "wait", "instance-running", "--instance-ids", instance])
    s.commands += 2
    expected = ('Waiter InstanceRunning failed: Waiter encountered a terminal failure state: For expression '
                '"Reservations[].Instances[].State.Name" we matched expected path: "terminated" at least once')
    s.check("ec2 wait instance-running on a terminated instance: the AWS CLI fails with botocore's message (sanity)",
            theirs.returncode == 255 and theirs.stderr.strip() == expected, theirs.stderr[-400:])
    s.check("ec2 wait instance-running on a terminated instance: awsctl prints the same and exits 255",
            mine.returncode == 255 and mine.stderr == theirs.stderr and mine.stdout == "",
            f"exit {mine.returncode}: {mine.stderr[-400:]!r}")
    s.both(["s3api", "wait", "object-not-exists", "--bucket", BUCKET, "--key", "never-written"])
    s.both(["dynamodb", "wait", "table-exists", "--table-name", "pg-table"])


def strip_metadata(page):
    return {k: v for k, v in page.items() if k != "ResponseMetadata"}


def run_pages_against_boto3(s, tool):
    def pages_via_awsd(**paginate):
        tool.stdin.write(json.dumps({"paginate": paginate}) + "\n")
        tool.stdin.flush()
        return json.loads(tool.stdout.readline() or "{}")

    # (service, operation, params, PaginationConfig, pages at least): moto
    # answers IAM's ListUsers in one page whatever its MaxItems.
    cases = [
        ("s3", "ListObjectsV2", {"Bucket": BUCKET}, {"PageSize": 400, "MaxItems": 1500}, 4),
        ("s3", "ListObjectsV2", {"Bucket": BUCKET, "Prefix": "docs"}, {"PageSize": 120}, 5),
        ("dynamodb", "Scan", {"TableName": "pg-table"}, {"PageSize": 7, "MaxItems": 25}, 4),
        ("iam", "ListUsers", {}, {"PageSize": 4, "MaxItems": 10}, 1),
    ]
    for service, operation, params, config, least in cases:
        client = s.boto_session.client(service, endpoint_url=s.endpoint)
        iterator = client.get_paginator(boto3.session.botocore.xform_name(operation)).paginate(
            **params, PaginationConfig=config)
        boto_pages = [strip_metadata(page) for page in iterator]
        for page in boto_pages:  # timestamps as the daemon writes them (ISO 8601)
            for item in page.get("Contents", []) + page.get("Users", []):
                for field in ("LastModified", "CreateDate"):
                    if field in item:
                        item[field] = item[field].isoformat()
        answer = pages_via_awsd(service=service, operation=operation, params=params,
                                max_items=config.get("MaxItems", 0), page_size=config.get("PageSize", 0))
        awsd_pages = [strip_metadata(page) for page in answer.get("pages", [])]
        name = f"{service} {operation} {json.dumps(config)}"
        difference = first_difference(awsd_pages, boto_pages)
        s.check(f"page range {name}: the pages boto3's paginator yields ({len(boto_pages)})",
                difference is None and len(boto_pages) >= least, f"{difference}; {json.dumps(answer)[:300]}")
        s.check(f"page range {name}: the resume token is boto3's",
                answer.get("next_token") == iterator.resume_token, f"{answer.get('next_token')} vs "
                f"{iterator.resume_token}")


def main():
    check = Checks()
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="awsd-paginate-wait-")
    socket_path = os.path.join(work, "awsd.sock")
    moto = start_moto(port)
    daemon = tool = None
    try:
        wait_until(lambda: listening(port), "moto_server")
        key = create_admin_key(endpoint, "pg-admin")
        session = boto3.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                                region_name=REGION)
        populate(session, endpoint)

        daemon_env, aws_env, awsctl_env = moto_environments(work, key, endpoint)
        daemon = start_daemon(socket_path, daemon_env, os.path.join(work, "awsd.log"))
        tool = subprocess.Popen([os.path.join(BIN_DIR, "awsd_invoke_lines"), socket_path], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)

        scenario = Scenario(check, socket_path, endpoint, work, aws_env, awsctl_env)
        scenario.boto_session = session
        scenario.boto_s3 = session.client("s3", endpoint_url=endpoint)
        scenario.boto_ec2 = session.client("ec2", endpoint_url=endpoint)
        for part in (run_listings, run_waiters, lambda s: run_pages_against_boto3(s, tool)):
            try:
                part(scenario)
            except Exception as error:  # reported as a failure, after the checks so far
                check(f"{getattr(part, '__name__', 'part')} ran to its end", False, repr(error))
        print(f"{scenario.commands} commands run through awsctl and aws")
    finally:
        if tool:
            tool.stdin.close()
        stop_processes(tool, daemon, moto)
        subprocess.run(["rm", "-rf", work])
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
