#pragma once

// application/vnd.amazon.eventstream: the framing botocore's eventstream.py
// decodes (EventStreamBuffer, EventStreamHeaderParser) and the walk over an
// eventstream union its BaseEventStreamParser and EventStream._parse_event do.
//
// A message is: total length (u32 BE), headers length (u32 BE), prelude CRC32
// (of those 8 bytes), headers, payload, message CRC32 (of everything before
// it). Both CRCs are checked and lengths bounded as botocore bounds them; any
// bytes at all give messages or DataLoss, never a crash.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/model/shape.h"
#include "daemon/protocols/protocol.h"
#include "daemon/protocols/value.h"

namespace awsd::protocols::event_stream {

inline constexpr std::size_t kPreludeLength = 12;
inline constexpr std::uint32_t kMaxHeadersLength = 128 * 1024;        // _MAX_HEADERS_LENGTH
inline constexpr std::uint32_t kMaxPayloadLength = 24 * 1024 * 1024;  // _MAX_PAYLOAD_LENGTH

// Header value types on the wire.
enum class HeaderType : std::uint8_t {
  kTrue = 0,
  kFalse = 1,
  kByte = 2,
  kShort = 3,
  kInteger = 4,
  kLong = 5,
  kByteArray = 6,
  kString = 7,
  kTimestamp = 8,  // int64 milliseconds since the epoch
  kUuid = 9,
};

struct Message {
  // Header name → value, in wire order, as botocore's dict holds them:
  // booleans, integers (timestamps as their milliseconds), binaries (byte
  // arrays and uuids) and strings.
  Value headers = Value::object();
  std::string payload;
};

// Every message in `bytes`. DataLoss for a CRC mismatch, lengths beyond the
// limits or inconsistent with each other, malformed or duplicate headers,
// header strings that are not UTF-8, and a message cut short (botocore would
// wait for more bytes; here the whole body is all there is).
absl::StatusOr<std::vector<Message>> Decode(std::string_view bytes);

// One message's bytes (the inverse of Decode), for tests and tools. Header
// values are written by their JSON type: booleans as true/false, integers as
// long, binaries as byte arrays, strings as strings.
std::string Encode(const Value& headers, std::string_view payload);

// A payload read with the protocol's own body parser as `member` (the
// eventpayload member, or a member standing for the whole event shape):
// botocore's _initial_body_parse followed by _parse_shape.
using PayloadParser = std::function<absl::StatusOr<Value>(const model::Member& member, std::string_view payload)>;

// list(EventStream): each message parsed against the eventstream union
// `stream` as {EventName: {members}}; events of unknown type are skipped, as
// botocore drops the empty dict they parse to. An exception or error message
// ends the stream with Aborted, worded as botocore's EventStreamError.
absl::StatusOr<Value> ParseEvents(const model::Shape& stream, const std::vector<Message>& messages, std::size_t first,
                                  const ParseOptions& options, const PayloadParser& parse_payload,
                                  std::string_view operation_name);

// The member of `shape` holding an event stream (botocore's
// shape.event_stream_name), or null.
const model::Member* EventStreamMember(const model::Shape& shape);

}  // namespace awsd::protocols::event_stream
