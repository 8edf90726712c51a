"""One HTTP/2 connection to the daemon's Unix socket, carrying unary gRPC
calls one at a time (RFC 9113, and gRPC's framing over it).

Unary calls are most of what a client makes, and grpcio costs a process
about 15 MB and 60 ms to import; this is the few hundred lines a unary
exchange needs. Streaming calls still go through grpcio (_transport)."""
import _socket  # the socket module's C core: socket.py costs ~3.5 ms of imports for nothing used here
import struct

from . import _hpack

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 5, 6, 7, 8, 9
END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY = 0x1, 0x1, 0x4, 0x8, 0x20
SETTINGS_HEADER_TABLE_SIZE, SETTINGS_ENABLE_PUSH, SETTINGS_INITIAL_WINDOW_SIZE, SETTINGS_MAX_FRAME_SIZE = 1, 2, 4, 5
_MAX_WINDOW = (1 << 31) - 1
_DEFAULT_WINDOW = 65535
_MAX_FRAME = 1 << 20
_FRAME_HEADER = struct.Struct(">HBBBI")  # length as 16 + 8 bits, type, flags, stream id


class ConnectionLost(OSError):
    """The connection failed or was closed; .unsent says the request never
    reached the daemon, so it may be sent again."""

    def __init__(self, message, unsent=False):
        super().__init__(message)
        self.unsent = unsent


class Reply:
    """What came back on one stream: response headers, the body's bytes, the
    trailers (empty when the daemon answered with headers alone)."""

    def __init__(self, stream):
        self.stream = stream
        self.headers = {}
        self.trailers = {}
        self.body = bytearray()
        self.done = False
        self._block = bytearray()
        self._ends_stream = False


class Connection:
    def __init__(self, path):
        self._socket = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            self._socket.connect(path)
        except OSError:
            self._socket.close()
            raise
        self._buffer = bytearray()
        self._decoder = _hpack.Decoder()
        self._next_stream = 1
        self._peer_max_frame = 16384
        self._peer_stream_window = _DEFAULT_WINDOW
        self._send_window = _DEFAULT_WINDOW  # the connection's, for our DATA
        self._stream_send_window = 0
        self._received_unacknowledged = 0
        self._open = True
        self.reusable = True
        # Our windows as large as HTTP/2 allows: a reply never waits on us.
        settings = struct.pack(">HIHIHI", SETTINGS_ENABLE_PUSH, 0, SETTINGS_INITIAL_WINDOW_SIZE, _MAX_WINDOW,
                               SETTINGS_MAX_FRAME_SIZE, _MAX_FRAME)
        self._send(PREFACE + _frame(SETTINGS, 0, 0, settings) +
                   _frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", _MAX_WINDOW - _DEFAULT_WINDOW)))

    def close(self):
        self.reusable = False
        if self._open:
            self._open = False
            self._socket.close()

    def still_open(self):
        """False when the daemon has closed this idle connection (a restart,
        an idle timeout); frames already waiting (a PING, new SETTINGS) are
        handled on the way."""
        if not self.reusable:
            return False
        try:
            self._socket.setblocking(False)
            try:
                chunk = self._socket.recv(65536)
            finally:
                self._socket.setblocking(True)
        except BlockingIOError:
            return True
        except OSError:
            self.close()
            return False
        if not chunk:
            self.close()
            return False
        self._buffer += chunk
        try:
            while self._has_frame():
                self._dispatch(None, *self._read_frame())
        except ConnectionLost:
            return False
        return self.reusable

    def unary(self, path, message, authority="localhost"):
        """Sends one gRPC request (path, serialized message) and returns the Reply."""
        stream = self._next_stream
        self._next_stream += 2
        if stream >= 1 << 31:
            self.close()
            raise ConnectionLost("stream ids used up", unsent=True)
        block = b"".join(_hpack.encode_literal(name, value) for name, value in (
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", authority),
            ("content-type", "application/grpc"), ("te", "trailers")))
        reply = Reply(stream)
        self._stream_send_window = self._peer_stream_window
        try:
            self._send(_frame(HEADERS, END_HEADERS, stream, block))
        except ConnectionLost as lost:
            lost.unsent = True
            raise
        self._send_body(reply, b"\x00" + struct.pack(">I", len(message)) + message)
        while not reply.done:
            self._dispatch(reply, *self._read_frame())
        return reply

    def _send_body(self, reply, body):
        view = memoryview(body)
        sent = 0
        while not reply.done:
            room = min(self._send_window, self._stream_send_window, self._peer_max_frame, len(view) - sent)
            if room <= 0 and sent < len(view):
                # Out of window: read until the daemon grants more, or
                # answers without reading the rest (a refusal).
                self._dispatch(reply, *self._read_frame())
                continue
            last = sent + room == len(view)
            self._send(_frame(DATA, END_STREAM if last else 0, reply.stream, view[sent:sent + room]))
            sent += room
            self._send_window -= room
            self._stream_send_window -= room
            if last:
                return

    def _dispatch(self, reply, frame_type, flags, stream_id, payload):
        if stream_id == 0:
            self._connection_frame(frame_type, flags, payload)
        elif reply is None or stream_id != reply.stream or reply.done:
            pass  # a stream we have given up on, or the RST_STREAM that follows an early answer
        elif frame_type == DATA:
            reply.body += _unpadded(flags, payload)
            self._received_unacknowledged += len(payload)
            if self._received_unacknowledged > 1 << 30:
                self._send(_frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", self._received_unacknowledged)))
                self._received_unacknowledged = 0
            reply.done = bool(flags & END_STREAM)
        elif frame_type == HEADERS or frame_type == CONTINUATION:
            if frame_type == HEADERS:
                payload = _unpadded(flags, payload)[5:] if flags & PRIORITY else _unpadded(flags, payload)
                reply._ends_stream = bool(flags & END_STREAM)
            reply._block += payload
            if flags & END_HEADERS:
                target = reply.trailers if reply.headers else reply.headers
                target.update(self._decode_block(reply._block))
                reply._block = bytearray()
                reply.done = reply._ends_stream
        elif frame_type == WINDOW_UPDATE:
            self._stream_send_window += _window_increment(payload)
        elif frame_type == RST_STREAM:
            raise ConnectionLost(f"the daemon reset the call (HTTP/2 error {_error_code(payload)})")

    def _decode_block(self, block):
        try:
            return dict(self._decoder.decode(bytes(block)))
        except _hpack.HpackError as error:
            self.close()
            raise ConnectionLost(f"bad header block from the daemon: {error}") from None

    def _connection_frame(self, frame_type, flags, payload):
        if frame_type == SETTINGS and not flags & ACK:
            for offset in range(0, len(payload) - 5, 6):
                key, value = struct.unpack_from(">HI", payload, offset)
                if key == SETTINGS_INITIAL_WINDOW_SIZE:
                    self._stream_send_window += value - self._peer_stream_window
                    self._peer_stream_window = value
                elif key == SETTINGS_MAX_FRAME_SIZE:
                    self._peer_max_frame = value
            self._send(_frame(SETTINGS, ACK, 0, b""))
        elif frame_type == PING and not flags & ACK:
            self._send(_frame(PING, ACK, 0, payload))
        elif frame_type == WINDOW_UPDATE:
            self._send_window += _window_increment(payload)
        elif frame_type == GOAWAY:
            # No new calls on it; a call the daemon has taken (at or below
            # last_stream) still gets its answer.
            last_stream, code = struct.unpack_from(">II", payload)
            self.reusable = False
            if self._next_stream - 2 > last_stream & _MAX_WINDOW:
                self.close()
                raise ConnectionLost(f"the daemon is closing the connection (HTTP/2 error {code})", unsent=True)

    def _has_frame(self):
        if len(self._buffer) < 9:
            return False
        high, low, _, _, _ = _FRAME_HEADER.unpack_from(self._buffer)
        return len(self._buffer) >= 9 + ((high << 8) | low)

    def _read_frame(self):
        while not self._has_frame():
            self._fill()
        high, low, frame_type, flags, stream_id = _FRAME_HEADER.unpack_from(self._buffer)
        length = (high << 8) | low
        payload = bytes(self._buffer[9:9 + length])
        del self._buffer[:9 + length]
        return frame_type, flags, stream_id & _MAX_WINDOW, payload

    def _fill(self):
        try:
            chunk = self._socket.recv(262144)
        except OSError as error:
            self.close()
            raise ConnectionLost(f"reading from the daemon failed: {error}") from None
        if not chunk:
            self.close()
            raise ConnectionLost("the daemon closed the connection")
        self._buffer += chunk

    def _send(self, data):
        try:
            self._socket.sendall(data)
        except OSError as error:
            self.close()
            raise ConnectionLost(f"writing to the daemon failed: {error}") from None


def _frame(frame_type, flags, stream, payload):
    length = len(payload)
    return _FRAME_HEADER.pack(length >> 8, length & 0xFF, frame_type, flags, stream) + bytes(payload)


def _unpadded(flags, payload):
    if flags & PADDED:
        pad = payload[0]
        return payload[1:len(payload) - pad]
    return payload


def _window_increment(payload):
    return struct.unpack(">I", payload)[0] & _MAX_WINDOW


def _error_code(payload):
    return struct.unpack(">I", payload[:4])[0] if len(payload) >= 4 else -1
