"""HPACK (RFC 7541), as much as a gRPC client needs: requests go out as
literals (no table, no Huffman: a few short headers), responses are
decoded in full (static and dynamic tables, Huffman strings)."""


class HpackError(ValueError):
    pass


STATIC_TABLE = (
    (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
    (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
    (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
    ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""),
    ("cache-control", ""), ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""),
    ("content-length", ""), ("content-location", ""), ("content-range", ""), ("content-type", ""),
    ("cookie", ""), ("date", ""), ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""),
    ("if-match", ""), ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""),
    ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""),
    ("proxy-authenticate", ""), ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""),
    ("retry-after", ""), ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""),
    ("transfer-encoding", ""), ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""))

# The Huffman code's length in bits for each byte value and EOS (RFC 7541
# Appendix B). The code is canonical, so the lengths alone give the codes.
_HUFFMAN_LENGTHS = bytes((
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28,
    28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12,
    10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6,
    5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22,
    22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20,
    22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28,
    27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28,
    27, 27, 27, 27, 27, 26, 30))
_EOS = 256
_huffman_codes = None  # {(length, code): symbol}, made on first Huffman string


def _huffman_table():
    global _huffman_codes
    if _huffman_codes is None:
        table, code, previous = {}, 0, 0
        for symbol in sorted(range(257), key=lambda s: (_HUFFMAN_LENGTHS[s], s)):
            length = _HUFFMAN_LENGTHS[symbol]
            code <<= length - previous
            previous = length
            table[(length, code)] = symbol
            code += 1
        _huffman_codes = table
    return _huffman_codes


def huffman_decode(data):
    table = _huffman_table()
    out = bytearray()
    code = length = 0
    for byte in data:
        for shift in range(7, -1, -1):
            code = (code << 1) | ((byte >> shift) & 1)
            length += 1
            symbol = table.get((length, code))
            if symbol is not None:
                if symbol == _EOS:
                    raise HpackError("EOS inside a Huffman string")
                out.append(symbol)
                code = length = 0
            elif length > 30:
                raise HpackError("invalid Huffman code")
    # What is left must be a prefix of EOS (all ones), shorter than a byte.
    if length > 7 or code != (1 << length) - 1:
        raise HpackError("invalid Huffman padding")
    return bytes(out)


def _integer(value, prefix_bits, first_byte_flags):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes((first_byte_flags | value,))
    out = bytearray((first_byte_flags | limit,))
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_literal(name, value):
    """A header as a literal that is not indexed (new name, raw strings)."""
    name, value = name.encode("ascii"), value.encode("utf-8")
    return b"\x00" + _integer(len(name), 7, 0) + name + _integer(len(value), 7, 0) + value


class Decoder:
    """One connection's header-block decoder: its dynamic table lives as
    long as the connection."""

    def __init__(self, max_table_size=4096):
        self._dynamic = []  # newest first
        self._size = 0
        self._max_size = max_table_size
        self._allowed_max = max_table_size

    def decode(self, block):
        headers, pos = [], 0
        data = memoryview(block)
        while pos < len(data):
            byte = data[pos]
            if byte & 0x80:  # indexed field
                index, pos = self._read_integer(data, pos, 7)
                headers.append(self._entry(index))
            elif byte & 0x40:  # literal with incremental indexing
                name, value, pos = self._literal(data, pos, 6)
                headers.append((name, value))
                self._add(name, value)
            elif byte & 0x20:  # dynamic table size update
                size, pos = self._read_integer(data, pos, 5)
                if size > self._allowed_max:
                    raise HpackError("table size update above the agreed maximum")
                self._max_size = size
                self._evict()
            else:  # literal without indexing, or never indexed
                name, value, pos = self._literal(data, pos, 4)
                headers.append((name, value))
        return headers

    def _literal(self, data, pos, prefix_bits):
        index, pos = self._read_integer(data, pos, prefix_bits)
        if index:
            name = self._entry(index)[0]
        else:
            name, pos = self._read_string(data, pos)
        value, pos = self._read_string(data, pos)
        return name, value, pos

    def _entry(self, index):
        if 1 <= index <= len(STATIC_TABLE):
            return STATIC_TABLE[index - 1]
        position = index - len(STATIC_TABLE) - 1
        if 0 <= position < len(self._dynamic):
            return self._dynamic[position]
        raise HpackError(f"header index {index} is not in the table")

    def _add(self, name, value):
        size = len(name) + len(value) + 32
        self._dynamic.insert(0, (name, value))
        self._size += size
        self._evict()

    def _evict(self):
        while self._size > self._max_size and self._dynamic:
            name, value = self._dynamic.pop()
            self._size -= len(name) + len(value) + 32

    @staticmethod
    def _read_integer(data, pos, prefix_bits):
        if pos >= len(data):
            raise HpackError("truncated header block")
        limit = (1 << prefix_bits) - 1
        value = data[pos] & limit
        pos += 1
        if value < limit:
            return value, pos
        shift = 0
        while True:
            if pos >= len(data) or shift > 28:
                raise HpackError("bad integer in header block")
            byte = data[pos]
            pos += 1
            value += (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value, pos

    def _read_string(self, data, pos):
        if pos >= len(data):
            raise HpackError("truncated header block")
        huffman = data[pos] & 0x80
        length, pos = self._read_integer(data, pos, 7)
        if pos + length > len(data):
            raise HpackError("truncated header string")
        raw = bytes(data[pos:pos + length])
        text = huffman_decode(raw) if huffman else raw
        # Header names are ASCII; gRPC's text values are percent-encoded ASCII.
        return text.decode("utf-8", "replace"), pos + length
