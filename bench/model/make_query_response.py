#!/usr/bin/env python3
"""Writes a DynamoDB Query response of about 1 MB (items with S, N, B, BOOL,
M, L and SS attributes), the body both serialise+parse benchmarks use."""
import base64
import json
import random
import sys

rng = random.Random(5)
items = []
size = 0
while size < 1_100_000:
    i = len(items)
    item = {
        "pk": {"S": f"user#{i % 97}"},
        "sk": {"S": f"order#{i:08d}"},
        "amount": {"N": str(rng.randint(1, 10**6) / 100)},
        "paid": {"BOOL": rng.random() < 0.5},
        "note": {"S": "déjà vu " * rng.randint(1, 6)},
        "blob": {"B": base64.b64encode(bytes(rng.randrange(256) for _ in range(24))).decode()},
        "tags": {"SS": [f"t{j}" for j in range(rng.randint(1, 4))]},
        "address": {"M": {"city": {"S": "Lyon"}, "zip": {"N": "69001"},
                          "lines": {"L": [{"S": "1 rue X"}, {"S": "bât B"}]}}},
    }
    items.append(item)
    size += len(json.dumps(item))
body = {"Items": items, "Count": len(items), "ScannedCount": len(items),
        "LastEvaluatedKey": {"pk": {"S": "user#1"}, "sk": {"S": "order#99999999"}}}
with open(sys.argv[1], "w") as f:
    json.dump(body, f, ensure_ascii=False)
