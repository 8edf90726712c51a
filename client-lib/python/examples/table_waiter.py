"""A waiter: create a DynamoDB table and wait until it exists, then print its
status and creation time (a datetime, as boto3 gives it).

    python3 table_waiter.py TABLE
"""
import sys

import awsd


def main(argv):
    if len(argv) != 2:
        print("usage: table_waiter.py TABLE", file=sys.stderr)
        return 2
    dynamodb = awsd.client("dynamodb")
    try:
        dynamodb.create_table(TableName=argv[1], AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    except dynamodb.exceptions.ResourceInUseException:
        print(f"{argv[1]} already exists")
    dynamodb.get_waiter("table_exists").wait(TableName=argv[1], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    table = dynamodb.describe_table(TableName=argv[1])["Table"]
    print(f"{table['TableName']} {table['TableStatus']} since {table['CreationDateTime'].isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
