#!/usr/bin/env python3
"""Prints, as JSON, what botocore's own retry classes decide for a fixed set
of inputs, for retries_conformance_test to compare awsd's results with."""

import copy
import json
import random
import types

from botocore import exceptions, translate
from botocore.loaders import Loader
from botocore.retries import adaptive, bucket, quota, standard, throttling
from botocore import retryhandler

FIXED_RANDOM = 0.5
random.random = lambda: FIXED_RANDOM  # retryhandler.delay_exponential's "rand"

SERVICES = ['s3', 'dynamodb', 'ec2', 'sts', 'sqs', 'kinesis', 'organizations', 'route53', 'glacier',
            'cloudsearch', 'lambda']
RESPONSES = [(200, None), (400, 'ValidationException'), (400, 'Throttling'), (400, 'ThrottlingException'),
             (400, 'ThrottledException'), (400, 'RequestThrottledException'), (400, 'TooManyRequestsException'),
             (400, 'ProvisionedThroughputExceededException'), (400, 'TransactionInProgressException'),
             (400, 'RequestLimitExceeded'), (503, 'RequestLimitExceeded'), (503, 'EC2ThrottledException'),
             (509, 'BandwidthLimitExceeded'), (509, None), (400, 'LimitExceededException'),
             (403, 'RequestThrottled'), (503, 'SlowDown'), (400, 'PriorRequestNotComplete'),
             (400, 'RequestTimeout'), (408, 'RequestTimeoutException'), (400, 'BadDigest'),
             (409, 'ReplicatedWriteConflictException'), (400, 'IDPCommunicationError'), (429, None),
             (429, 'TooManyRequests'), (500, None), (500, 'InternalError'), (501, None), (502, None), (503, None),
             (504, None), (404, 'NoSuchKey'), (403, 'AccessDenied')]
EXCEPTIONS = {'Unavailable': exceptions.EndpointConnectionError(endpoint_url='https://x'),
              'DeadlineExceeded': exceptions.ReadTimeoutError(endpoint_url='https://x'),
              'DataLoss': exceptions.ConnectionClosedError(endpoint_url='https://x')}


def http_response(status):
    return types.SimpleNamespace(status_code=status, headers={}, content=b'')


def parsed(code):
    return {'Error': {'Code': code}, 'ResponseMetadata': {}} if code else {'ResponseMetadata': {}}


def classification():
    retry_model = Loader().load_data('_retry')
    cases = []
    conditions = standard.StandardRetryConditions(max_attempts=1000)
    for service in SERVICES:
        # A fresh copy per service, as in a new process: build_retry_config
        # merges a service's policies into the shared definitions in place
        # (after an organizations client, every later client's 429 rule
        # becomes "400 TooManyRequestsException"); awsd does not copy that.
        model = copy.deepcopy(retry_model)
        config = translate.build_retry_config(service, model['retry'], model['definitions'])
        handler = retryhandler.create_retry_handler(config, service)
        op = types.SimpleNamespace(service_model=types.SimpleNamespace(service_name=service), error_shapes=[],
                                   name='Op')
        inputs = [(status, code, None) for status, code in RESPONSES] + [(0, None, name) for name in EXCEPTIONS]
        for status, code, exc_name in inputs:
            legacy = []
            for attempt in range(1, config['__default__']['max_attempts'] + 2):
                kwargs = dict(attempts=attempt, caught_exception=None, request_dict={'context': {}})
                if exc_name:
                    kwargs['response'] = None
                    kwargs['caught_exception'] = EXCEPTIONS[exc_name]
                else:
                    kwargs['response'] = (http_response(status), parsed(code))
                try:
                    legacy.append(handler(**kwargs))
                except Exception:  # the exception re-raised: no retry
                    legacy.append(None)
            ctx = standard.RetryContext(
                attempt_number=1, operation_model=op,
                http_response=None if exc_name else http_response(status),
                parsed_response=None if exc_name else parsed(code),
                caught_exception=EXCEPTIONS[exc_name] if exc_name else None)
            cases.append({'service': service, 'status': status, 'code': code or '', 'transport': exc_name or '',
                          'legacy_delays': legacy, 'standard_retryable': conditions.is_retryable(ctx),
                          'throttling': standard.ThrottledRetryableChecker().is_retryable(ctx)})
    return cases


def backoff():
    b = standard.ExponentialBackoff(random=lambda: FIXED_RANDOM)
    return [b.delay_amount(standard.RetryContext(attempt_number=n)) for n in range(1, 11)]


class FakeClock:
    def __init__(self, t):
        self.t = t

    def current_time(self):
        return self.t


def adaptive_scenario():
    clock = FakeClock(1000.25)
    limiter = adaptive.ClientRateLimiter(
        rate_adjustor=throttling.CubicCalculator(starting_max_rate=0, start_time=clock.current_time()),
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=bucket.TokenBucket(max_rate=1, clock=clock),
        throttling_detector=standard.ThrottlingErrorDetector(standard.RetryEventAdapter()),
        clock=clock)
    tb = limiter._token_bucket
    rng = random.Random(7)
    events = []
    t = clock.t
    for i in range(120):
        t += rng.choice([0.05, 0.1, 0.2, 0.3, 0.7])
        clock.t = t
        wait = 0.0
        send_at = t
        if limiter._enabled:
            try:
                tb.acquire(block=False)
            except exceptions.CapacityNotAvailableError:
                # The blocking path, without sleeping: time moves to when
                # the token exists, then it is taken.
                wait = tb._sleep_amount(1)
                clock.t = t = t + wait
                tb._refill()
                tb._current_capacity -= 1
        throttled = (i % 17 in (5, 6)) or (40 <= i < 44)
        t += rng.choice([0.01, 0.05, 0.1])
        clock.t = t
        code = 'ThrottlingException' if throttled else None
        limiter.on_receiving_response(
            response=(http_response(400 if throttled else 200), parsed(code)), attempts=1, operation=None,
            caught_exception=None, request_dict={'context': {}})
        p = limiter._rate_adjustor.get_params_snapshot()
        events.append({'send_at': send_at, 'wait': wait, 'response_at': t,
                       'throttled': throttled, 'enabled': limiter._enabled, 'max_rate': tb.max_rate,
                       'measured_rate': limiter._rate_clocker.measured_rate, 'capacity': tb.available_capacity,
                       'w_max': p.w_max, 'k': p.k, 'last_fail': p.last_fail})
    return {'start': 1000.25, 'events': events}


if __name__ == '__main__':
    q = quota.RetryQuota()
    print(json.dumps({'random': FIXED_RANDOM, 'backoff': backoff(), 'classification': classification(),
                      'adaptive': adaptive_scenario(), 'quota_initial': q.available_capacity}))
