"""A paginator: IAM users a page at a time, with MaxItems and a resume token
that boto3 and the AWS CLI accept too.

    python3 user_pages.py [MAX_ITEMS]
"""
import sys

import awsd


def main(argv):
    max_items = int(argv[1]) if len(argv) > 1 else 2
    iam = awsd.client("iam")
    pages = iam.get_paginator("list_users").paginate(PaginationConfig={"MaxItems": max_items})
    for number, page in enumerate(pages, 1):
        print(f"page {number}: {[user['UserName'] for user in page['Users']]}")
    if pages.resume_token:
        rest = iam.get_paginator("list_users").paginate(PaginationConfig={"StartingToken": pages.resume_token})
        print(f"then: {[user['UserName'] for user in rest.build_full_result()['Users']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
