"""StreamingBody: a streaming result member (S3 GetObject's Body) read from
the daemon's stream as the caller asks for it, as botocore's is."""
import io


class StreamingBody(io.IOBase):
    _DEFAULT_CHUNK_SIZE = 1024

    def __init__(self, pieces, content_length=None, cancel=None):
        self._pieces = pieces
        self._buffer = b""
        self._content_length = content_length
        self._amount_read = 0
        self._cancel = cancel

    def readable(self):
        return True

    def _fill(self, wanted):
        while wanted is None or len(self._buffer) < wanted:
            piece = next(self._pieces, None)
            if piece is None:
                return
            self._buffer += piece

    def read(self, amt=None):
        self._fill(amt)
        if amt is None:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:amt], self._buffer[amt:]
        self._amount_read += len(data)
        if (amt is None or (not data and amt > 0)) and self._content_length is not None:
            if self._amount_read != self._content_length:
                raise IncompleteReadError(self._amount_read, self._content_length)
        return data

    def readinto(self, b):
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def readlines(self):
        return self.read().splitlines(True)

    def __iter__(self):
        return self.iter_chunks(self._DEFAULT_CHUNK_SIZE)

    def __next__(self):
        chunk = self.read(self._DEFAULT_CHUNK_SIZE)
        if chunk:
            return chunk
        raise StopIteration()

    def iter_lines(self, chunk_size=_DEFAULT_CHUNK_SIZE, keepends=False):
        pending = b""
        for chunk in self.iter_chunks(chunk_size):
            lines = (pending + chunk).splitlines(True)
            for line in lines[:-1]:
                yield line.splitlines(keepends)[0]
            pending = lines[-1]
        if pending:
            yield pending.splitlines(keepends)[0]

    def iter_chunks(self, chunk_size=_DEFAULT_CHUNK_SIZE):
        while True:
            chunk = self.read(chunk_size)
            if not chunk:
                break
            yield chunk

    def close(self):
        if self._cancel is not None:
            self._cancel()
            self._cancel = None
        super().close()


class IncompleteReadError(Exception):
    def __init__(self, actual_bytes, expected_bytes):
        super().__init__(f"{actual_bytes} read, but total bytes expected is {expected_bytes}.")
        self.actual_bytes = actual_bytes
        self.expected_bytes = expected_bytes
