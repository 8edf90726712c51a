"""Exceptions shaped as botocore's: ClientError with .response and
.operation_name, WaiterError with .last_response, and the daemon's own
refusals as BotoCoreError subclasses."""
import enum


class BotoCoreError(Exception):
    fmt = "An unspecified error occurred"

    def __init__(self, **kwargs):
        super().__init__(self.fmt.format(**kwargs))
        self.kwargs = kwargs


class ClientError(Exception):
    MSG_TEMPLATE = "An error occurred ({error_code}) when calling the {operation_name} operation{retry_info}: {error_message}"

    def __init__(self, error_response, operation_name):
        error = error_response.get("Error", {})
        super().__init__(self.MSG_TEMPLATE.format(
            error_code=error.get("Code", "Unknown"), error_message=error.get("Message", "Unknown"),
            operation_name=operation_name, retry_info=_retry_info(error_response)))
        self.response = error_response
        self.operation_name = operation_name


def _retry_info(response):
    metadata = response.get("ResponseMetadata", {})
    if metadata.get("MaxAttemptsReached", False) and "RetryAttempts" in metadata:
        return f" (reached max retries: {metadata['RetryAttempts']})"
    return ""


class WaiterError(BotoCoreError):
    fmt = "Waiter {name} failed: {reason}"

    def __init__(self, name, reason, last_response):
        super().__init__(name=name, reason=reason)
        self.last_response = last_response


class OperationNotPageableError(BotoCoreError):
    fmt = "Operation cannot be paginated: {operation_name}"


class DataNotFoundError(BotoCoreError):
    fmt = "Unable to load data for: {data_path}"


class StatusCode(enum.IntEnum):
    """gRPC's status codes, with grpc.StatusCode's names."""
    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class DaemonError(BotoCoreError):
    """The daemon could not make the call (AWS was not asked, or could not be):
    .code is the gRPC status code (a StatusCode), the text the daemon's message."""
    fmt = "{message}"

    def __init__(self, code, message):
        super().__init__(message=message)
        self.code = code


class ParamValidationError(DaemonError):
    """A parameter the operation does not take, or of the wrong type."""


class UnknownServiceError(DaemonError):
    """No such service, operation or waiter in the daemon's models."""


class NoCredentialsError(DaemonError):
    """No usable credentials, or a configuration error (a missing profile)."""


class AccessDeniedByPolicy(DaemonError):
    """The daemon's policy refused this process."""


class DaemonUnavailableError(DaemonError):
    """The daemon is not running, is draining, or an upstream is down: retry later."""


_BY_CODE = {
    StatusCode.INVALID_ARGUMENT: ParamValidationError,
    StatusCode.NOT_FOUND: UnknownServiceError,
    StatusCode.FAILED_PRECONDITION: NoCredentialsError,
    StatusCode.PERMISSION_DENIED: AccessDeniedByPolicy,
    StatusCode.UNAVAILABLE: DaemonUnavailableError,
}


def from_status(code, message):
    """The exception for a gRPC status (a number, as the daemon sends it) and its message."""
    try:
        code = StatusCode(code)
    except ValueError:
        code = StatusCode.UNKNOWN
    return _BY_CODE.get(code, DaemonError)(code, message or code.name)


class ClientExceptions:
    """client.exceptions: one ClientError subclass per modelled error shape,
    raised when AWS answers that shape's code."""

    ClientError = ClientError

    def __init__(self, error_shapes):
        self._by_code = {}
        for shape in error_shapes:
            cls = self.__dict__.get(shape.name) or type(shape.name, (ClientError,), {})
            setattr(self, shape.name, cls)
            self._by_code[shape.code] = cls

    def from_code(self, code):
        return self._by_code.get(code, ClientError)
