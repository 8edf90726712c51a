"""Exceptions shaped as botocore's: ClientError with .response and
.operation_name, WaiterError with .last_response, and the daemon's own
refusals as BotoCoreError subclasses."""
import grpc


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


class DaemonError(BotoCoreError):
    """The daemon could not make the call (AWS was not asked, or could not be):
    .code is the gRPC status code, the text the daemon's message."""
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
    grpc.StatusCode.INVALID_ARGUMENT: ParamValidationError,
    grpc.StatusCode.NOT_FOUND: UnknownServiceError,
    grpc.StatusCode.FAILED_PRECONDITION: NoCredentialsError,
    grpc.StatusCode.PERMISSION_DENIED: AccessDeniedByPolicy,
    grpc.StatusCode.UNAVAILABLE: DaemonUnavailableError,
}


def from_rpc_error(error):
    code = error.code()
    return _BY_CODE.get(code, DaemonError)(code, error.details() or str(code))


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
