"""What the daemon says of a service: its operations, waiters and error
shapes, and per operation where its timestamps and blobs sit."""
from . import _values, messages
from .naming import xform_name


class ServiceModel:
    """What the daemon says of a service, fetched once per daemon."""

    def __init__(self, daemon, service_name):
        self.daemon = daemon
        self.description = daemon.invoke.DescribeService(messages.DescribeServiceRequest(service=service_name))
        self.service_name = self.description.service
        self.by_python_name = {op.python_name: op for op in self.description.operations}
        self.waiters = {xform_name(name): name for name in self.description.waiters}
        self.waiter_operations = {}
        self._operations = {}

    @classmethod
    def of(cls, daemon, service_name):
        model = daemon.descriptions.get(service_name)
        if model is None:
            model = daemon.descriptions[service_name] = cls(daemon, service_name)
        return model

    def waiter_operation(self, waiter_name):
        """The operation a waiter polls, described as operation() does."""
        name = self.waiter_operations.get(waiter_name)
        if name is None:
            reply = self.daemon.invoke.DescribeService(
                messages.DescribeServiceRequest(service=self.service_name, waiter=waiter_name))
            name = self.waiter_operations[waiter_name] = reply.operations[0].name
            self._operations.setdefault(name, Operation(reply.operations[0]))
        return self._operations[name]

    def operation(self, name):
        """The operation with its input members and value types (one RPC, once)."""
        described = self._operations.get(name)
        if described is None:
            reply = self.daemon.invoke.DescribeService(
                messages.DescribeServiceRequest(service=self.service_name, operation=name))
            described = self._operations[name] = Operation(reply.operations[0])
        return described


class Operation:
    def __init__(self, description):
        self.name = description.name
        self.description = description
        self.types = _values.ValueTypes(description.value_types_json)
        self.streaming_input = description.streaming_input_member
        self.streaming_output = description.streaming_output_member
        self.input_members = frozenset(description.input_members)
