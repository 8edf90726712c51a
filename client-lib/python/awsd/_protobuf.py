"""Protocol Buffers' wire format for the daemon's messages, from a schema
generated out of proto/ at build time (awsd/v1/schema.py).

The protobuf runtime costs a Python process about 20 MB and 60-130 ms to
import: more than everything else a call needs, and the very cost this
package exists to avoid. The daemon's messages use a small part of the
format (proto3 scalars, strings, nested and repeated messages, oneofs, one
map), so that part is written here; tests compare it byte for byte with
the protobuf runtime.

A schema entry is a message's fields: (name, number, kind, type, label,
oneof). kind is the proto type ("string", "int64", "message", ...); type
names the message or enum; label is SINGLE, REPEATED or MAP (then type is
(key kind, value kind, value type)); oneof names the field's oneof, or "".
"""
import struct

SINGLE, REPEATED, MAP = 0, 1, 2

_VARINT_KINDS = frozenset(("int32", "int64", "uint32", "uint64", "bool", "enum", "sint32", "sint64"))
_FIXED = {"fixed32": "<I", "sfixed32": "<i", "float": "<f", "fixed64": "<Q", "sfixed64": "<q", "double": "<d"}
_WIRE_TYPE = {**{kind: 0 for kind in _VARINT_KINDS}, "fixed64": 1, "sfixed64": 1, "double": 1, "fixed32": 5,
              "sfixed32": 5, "float": 5, "string": 2, "bytes": 2, "message": 2}
_DEFAULTS = {"string": "", "bytes": b"", "bool": False, "float": 0.0, "double": 0.0}


class DecodeError(ValueError):
    pass


def _varint(value):
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _read_varint(data, pos):
    result = shift = 0
    while True:
        if pos >= len(data):
            raise DecodeError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise DecodeError("varint too long")


def _encode_scalar(kind, value):
    if kind == "string":
        value = value.encode("utf-8")
        return _varint(len(value)) + value
    if kind == "bytes":
        return _varint(len(value)) + bytes(value)
    if kind in _FIXED:
        return struct.pack(_FIXED[kind], value)
    if kind == "bool":
        return b"\x01" if value else b"\x00"
    if kind == "sint32" or kind == "sint64":
        return _varint((value << 1) ^ (value >> 63))
    return _varint(int(value))


def _decode_varint_value(kind, raw):
    if kind == "bool":
        return bool(raw)
    if kind == "sint32" or kind == "sint64":
        return (raw >> 1) ^ -(raw & 1)
    if kind in ("int32", "int64", "enum"):
        raw &= (1 << 64) - 1
        if raw >= 1 << 63:
            raw -= 1 << 64
        if kind != "int64" and not -(1 << 31) <= raw < 1 << 31:
            raw = ((raw + (1 << 31)) % (1 << 32)) - (1 << 31)
        return raw
    if kind == "uint32":
        return raw & 0xFFFFFFFF
    return raw


class Message:
    """A message: fields are attributes (unset ones read as proto3's
    defaults), encode() gives the wire bytes, Cls.decode(data) reads them."""

    _schema = None  # set on each generated class: its Registry
    _fields = {}  # name -> field tuple
    _by_number = {}  # number -> field tuple
    _in_number_order = ()  # field tuples, as protobuf writes them
    _full_name = ""

    def __init__(self, **values):
        for name, value in values.items():
            if name not in self._fields:
                raise TypeError(f"{self._full_name} has no field {name!r}")
            setattr(self, name, value)

    def __getattr__(self, name):
        # Only fields with a mutable or message default get here: scalars'
        # defaults are class attributes.
        field = type(self)._fields.get(name)
        if field is None:
            raise AttributeError(f"{self._full_name} has no field {name!r}")
        label = field[4]
        if label == REPEATED:
            value = self.__dict__[name] = []
            return value
        if label == MAP:
            value = self.__dict__[name] = {}
            return value
        # An unset message reads as an empty one, not stored (proto3 presence).
        return self._schema.message(field[3])()

    def __eq__(self, other):
        return type(self) is type(other) and self.encode() == other.encode()

    def __repr__(self):
        present = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{self._full_name}({present})"

    def copy(self):
        """A shallow copy: fields are shared until one is assigned anew."""
        return type(self)(**self.__dict__)

    def has(self, name):
        return name in self.__dict__

    def which_oneof(self, oneof):
        """The name of the field set in that oneof, or None."""
        for name, field in self._fields.items():
            if field[5] == oneof and name in self.__dict__:
                return name
        return None

    def encode(self):
        out = bytearray()
        values = self.__dict__
        for name, number, kind, type_name, label, oneof in self._in_number_order:
            if name not in values:
                continue
            value = values[name]
            if label == REPEATED:
                for item in value:
                    out += _key(number, kind)
                    out += item.encode_delimited() if kind == "message" else _encode_scalar(kind, item)
            elif label == MAP:
                key_kind, value_kind, value_type = type_name
                for map_key, map_value in value.items():
                    entry = _key(1, key_kind) + _encode_scalar(key_kind, map_key) + _key(2, value_kind)
                    entry += map_value.encode_delimited() if value_kind == "message" else _encode_scalar(
                        value_kind, map_value)
                    out += _key(number, "message") + _varint(len(entry)) + entry
            elif kind == "message":
                out += _key(number, kind) + value.encode_delimited()
            elif oneof or value != _default(kind):
                # A oneof member is sent when set, even at its default: that is how its choice travels.
                out += _key(number, kind) + _encode_scalar(kind, value)
        return bytes(out)

    def encode_delimited(self):
        body = self.encode()
        return _varint(len(body)) + body

    @classmethod
    def decode(cls, data):
        message = cls()
        message._merge(memoryview(data))
        return message

    def _merge(self, data):
        pos, end = 0, len(data)
        by_number = self._by_number
        values = self.__dict__
        while pos < end:
            key, pos = _read_varint(data, pos)
            number, wire_type = key >> 3, key & 7
            field = by_number.get(number)
            if wire_type == 0:
                raw, pos = _read_varint(data, pos)
                payload = raw
            elif wire_type == 2:
                length, pos = _read_varint(data, pos)
                if pos + length > end:
                    raise DecodeError("truncated field")
                payload, pos = data[pos:pos + length], pos + length
            elif wire_type == 1 or wire_type == 5:
                size = 8 if wire_type == 1 else 4
                if pos + size > end:
                    raise DecodeError("truncated field")
                payload, pos = data[pos:pos + size], pos + size
            else:
                raise DecodeError(f"unsupported wire type {wire_type}")
            if field is None:
                continue  # a field newer than our schema
            name, _, kind, type_name, label, oneof = field
            if label == MAP:
                if wire_type != 2:
                    raise DecodeError(f"{self._full_name}.{name}: wire type {wire_type} for a map entry")
                key, value = self._map_entry(type_name, payload)
                values.setdefault(name, {})[key] = value
                continue
            if label == REPEATED and wire_type == 2 and kind not in ("string", "bytes", "message"):
                values.setdefault(name, []).extend(_packed(kind, payload))
                continue
            value = self._value(kind, type_name, wire_type, payload)
            if label == REPEATED:
                values.setdefault(name, []).append(value)
                continue
            if oneof:
                for other, other_field in self._fields.items():
                    if other_field[5] == oneof and other != name:
                        values.pop(other, None)
            if kind == "message" and name in values:
                values[name]._merge(payload)  # repeated occurrences of a message merge
            else:
                values[name] = value

    def _value(self, kind, type_name, wire_type, payload):
        if wire_type != _WIRE_TYPE[kind]:
            raise DecodeError(f"{self._full_name}: wire type {wire_type} for a {kind}")
        if kind == "string":
            try:
                return str(payload, "utf-8")
            except UnicodeDecodeError:
                raise DecodeError(f"{self._full_name}: a string field is not UTF-8") from None
        if kind == "bytes":
            return bytes(payload)
        if kind == "message":
            message = self._schema.message(type_name)()
            message._merge(payload)
            return message
        if kind in _FIXED:
            return struct.unpack(_FIXED[kind], payload)[0]
        return _decode_varint_value(kind, payload)

    def _map_entry(self, type_name, payload):
        key_kind, value_kind, value_type = type_name
        entry = self._schema.map_entry(key_kind, value_kind, value_type)()
        entry._merge(payload)
        return entry.key, entry.value


def _default(kind):
    return _DEFAULTS.get(kind, 0)


def _key(number, kind):
    return _varint((number << 3) | _WIRE_TYPE[kind])


def _packed(kind, payload):
    if kind in _FIXED:
        size = struct.calcsize(_FIXED[kind])
        return [struct.unpack(_FIXED[kind], payload[i:i + size])[0] for i in range(0, len(payload), size)]
    items, pos = [], 0
    while pos < len(payload):
        raw, pos = _read_varint(payload, pos)
        items.append(_decode_varint_value(kind, raw))
    return items


class Registry:
    """Message classes made on first use from a schema: {full name: fields},
    {enum full name: {value name: number}}."""

    def __init__(self, messages, enums=None):
        self._messages = messages
        self._enums = enums or {}
        self._classes = {}

    def message(self, full_name):
        cls = self._classes.get(full_name)
        if cls is None:
            fields = self._messages.get(full_name)
            if fields is None:
                raise KeyError(f"no message {full_name} in the schema")
            cls = self._classes[full_name] = self._make(full_name, fields)
        return cls

    def map_entry(self, key_kind, value_kind, value_type):
        name = f"map<{key_kind},{value_type or value_kind}>"
        if name not in self._messages:
            self._messages[name] = (("key", 1, key_kind, "", SINGLE, ""),
                                    ("value", 2, value_kind, value_type, SINGLE, ""))
        return self.message(name)

    def _make(self, full_name, fields):
        attributes = {"_schema": self, "_full_name": full_name, "_fields": {f[0]: f for f in fields},
                      "_by_number": {f[1]: f for f in fields},
                      "_in_number_order": tuple(sorted(fields, key=lambda f: f[1]))}
        for name, _, kind, _, label, _ in fields:
            if label == SINGLE and kind != "message":
                attributes[name] = _default(kind)
        # Enums nested in the message read as its attributes (WaitResponse.STATE_SUCCESS).
        prefix = full_name + "."
        for enum_name, values in self._enums.items():
            if enum_name.startswith(prefix) and "." not in enum_name[len(prefix):]:
                attributes.update(values)
        return type(full_name.rsplit(".", 1)[-1], (Message,), attributes)
