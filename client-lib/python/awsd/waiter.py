"""Waiters run by the daemon: the polling is its timers, not our sleeps."""
from . import exceptions, messages


class Waiter:
    def __init__(self, client, name):
        self._client = client
        self.name = name

    def wait(self, **kwargs):
        config = kwargs.pop("WaiterConfig", None) or {}
        model = self._client._model
        types = model.waiter_operation(self.name).types
        request = messages.WaitRequest(
            session=self._client._session, service=model.service_name, waiter=self.name,
            params_json=types.params_json(kwargs), delay_seconds=int(config.get("Delay") or 0),
            max_attempts=int(config.get("MaxAttempts") or 0), options=self._client._options)
        reply = model.daemon.invoke.Wait(request)
        if reply.state == messages.WaitResponse.STATE_SUCCESS:
            return None
        last = reply.last_response
        if last.which_oneof("outcome") == "error":
            last_response = self._client._client_error(self.name, last.error, last.metadata).response
        elif last.result_json:
            last_response = types.result(last.result_json)
        else:
            last_response = {}
        error = exceptions.WaiterError(self.name, reply.reason, last_response)
        # The daemon's text is botocore's, explanation and all.
        error.args = (reply.message,) if reply.message else error.args
        raise error

