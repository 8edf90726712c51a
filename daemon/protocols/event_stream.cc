#include "daemon/protocols/event_stream.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/protocols/timestamps.h"

namespace awsd::protocols::event_stream {
namespace {

std::uint32_t Crc32(std::string_view data, std::uint32_t crc = 0) {
  uLong c = crc;
  // zlib takes uInt lengths; feed in chunks so any size is safe.
  while (!data.empty()) {
    const std::size_t n = std::min<std::size_t>(data.size(), 1u << 30);
    c = crc32(c, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
    data.remove_prefix(n);
  }
  return static_cast<std::uint32_t>(c);
}

std::uint64_t ReadBigEndian(std::string_view data, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(data[i]);
  return v;
}

void AppendBigEndian(std::string& out, std::uint64_t v, std::size_t width) {
  for (std::size_t i = width; i > 0; --i) out.push_back(static_cast<char>((v >> (8 * (i - 1))) & 0xff));
}

Value Binary(std::string_view bytes) { return Value::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end())); }

// EventStreamHeaderParser.parse over the headers section.
absl::StatusOr<Value> DecodeHeaders(std::string_view data) {
  Value headers = Value::object();
  auto need = [&data](std::size_t n, std::string_view what) -> absl::Status {
    if (data.size() < n)
      return absl::DataLossError(absl::StrCat("event-stream header truncated in ", std::string(what)));
    return absl::OkStatus();
  };
  while (!data.empty()) {
    const std::size_t name_length = static_cast<unsigned char>(data[0]);
    if (absl::Status s = need(1 + name_length, "name"); !s.ok()) return s;
    const std::string name(data.substr(1, name_length));
    data.remove_prefix(1 + name_length);
    if (!py::IsUtf8(name)) return absl::DataLossError("event-stream header name is not UTF-8");
    if (absl::Status s = need(1, "type"); !s.ok()) return s;
    const int type = static_cast<unsigned char>(data[0]);
    data.remove_prefix(1);
    Value value;
    auto fixed = [&](std::size_t width) -> absl::Status {
      if (absl::Status s = need(width, "value"); !s.ok()) return s;
      const std::uint64_t raw = ReadBigEndian(data, width);
      std::int64_t signed_value;
      if (width == 8) {
        signed_value = static_cast<std::int64_t>(raw);
      } else {
        const std::uint64_t sign = std::uint64_t{1} << (8 * width - 1);
        signed_value = (raw & sign) ? static_cast<std::int64_t>(raw) - static_cast<std::int64_t>(sign << 1)
                                    : static_cast<std::int64_t>(raw);
      }
      value = signed_value;
      data.remove_prefix(width);
      return absl::OkStatus();
    };
    absl::Status status;
    switch (static_cast<HeaderType>(type)) {
      case HeaderType::kTrue:
        value = true;
        break;
      case HeaderType::kFalse:
        value = false;
        break;
      case HeaderType::kByte:
        status = fixed(1);
        break;
      case HeaderType::kShort:
        status = fixed(2);
        break;
      case HeaderType::kInteger:
        status = fixed(4);
        break;
      case HeaderType::kLong:
      case HeaderType::kTimestamp:
        status = fixed(8);
        break;
      case HeaderType::kByteArray:
      case HeaderType::kString: {
        if (status = need(2, "length"); !status.ok()) break;
        const std::size_t length = ReadBigEndian(data, 2);
        if (status = need(2 + length, "value"); !status.ok()) break;
        const std::string_view bytes = data.substr(2, length);
        if (type == static_cast<int>(HeaderType::kString)) {
          if (!py::IsUtf8(bytes))
            return absl::DataLossError(absl::StrCat("event-stream header ", name, " is not UTF-8"));
          value = std::string(bytes);
        } else {
          value = Binary(bytes);
        }
        data.remove_prefix(2 + length);
        break;
      }
      case HeaderType::kUuid:
        if (status = need(16, "value"); !status.ok()) break;
        value = Binary(data.substr(0, 16));
        data.remove_prefix(16);
        break;
      default:
        return absl::DataLossError(absl::StrCat("event-stream header ", name, " has unknown type ", type));
    }
    if (!status.ok()) return status;
    if (headers.contains(name)) return absl::DataLossError(absl::StrCat("duplicate event-stream header ", name));
    headers[name] = std::move(value);
  }
  return headers;
}

const std::string* StringHeader(const Value& headers, const char* name) {
  auto it = headers.find(name);
  if (it == headers.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

}  // namespace

absl::StatusOr<std::vector<Message>> Decode(std::string_view bytes) {
  std::vector<Message> messages;
  while (!bytes.empty()) {
    if (bytes.size() < kPreludeLength) return absl::DataLossError("event-stream message truncated in its prelude");
    const std::uint32_t total_length = static_cast<std::uint32_t>(ReadBigEndian(bytes, 4));
    const std::uint32_t headers_length = static_cast<std::uint32_t>(ReadBigEndian(bytes.substr(4), 4));
    const std::uint32_t prelude_crc = static_cast<std::uint32_t>(ReadBigEndian(bytes.substr(8), 4));
    if (const std::uint32_t computed = Crc32(bytes.substr(0, 8)); computed != prelude_crc) {
      return absl::DataLossError(
          absl::StrCat("event-stream prelude checksum mismatch: expected ", prelude_crc, ", calculated ", computed));
    }
    if (headers_length > kMaxHeadersLength) {
      return absl::DataLossError(absl::StrCat("event-stream header length of ", headers_length,
                                              " exceeded the maximum of ", kMaxHeadersLength));
    }
    const std::int64_t payload_length = std::int64_t{total_length} - headers_length - kPreludeLength - 4;
    if (payload_length < 0) {
      return absl::DataLossError(absl::StrCat("event-stream total length ", total_length, " is less than its headers (",
                                              headers_length, ") and framing need"));
    }
    if (payload_length > kMaxPayloadLength) {
      return absl::DataLossError(absl::StrCat("event-stream payload length of ", payload_length,
                                              " exceeded the maximum of ", kMaxPayloadLength));
    }
    if (bytes.size() < total_length) {
      return absl::DataLossError(
          absl::StrCat("event-stream message truncated: ", bytes.size(), " of ", total_length, " bytes"));
    }
    const std::size_t payload_end = total_length - 4;
    const std::uint32_t message_crc = static_cast<std::uint32_t>(ReadBigEndian(bytes.substr(payload_end), 4));
    if (const std::uint32_t computed = Crc32(bytes.substr(8, payload_end - 8), prelude_crc); computed != message_crc) {
      return absl::DataLossError(
          absl::StrCat("event-stream message checksum mismatch: expected ", message_crc, ", calculated ", computed));
    }
    absl::StatusOr<Value> headers = DecodeHeaders(bytes.substr(kPreludeLength, headers_length));
    if (!headers.ok()) return headers.status();
    Message message;
    message.headers = *std::move(headers);
    message.payload = std::string(bytes.substr(kPreludeLength + headers_length, payload_length));
    messages.push_back(std::move(message));
    bytes.remove_prefix(total_length);
  }
  return messages;
}

std::string Encode(const Value& headers, std::string_view payload) {
  std::string encoded_headers;
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    const std::string& name = it.key();
    encoded_headers.push_back(static_cast<char>(name.size()));
    encoded_headers += name;
    const Value& v = it.value();
    if (v.is_boolean()) {
      encoded_headers.push_back(static_cast<char>(v.get<bool>() ? HeaderType::kTrue : HeaderType::kFalse));
    } else if (v.is_number_integer()) {
      encoded_headers.push_back(static_cast<char>(HeaderType::kLong));
      AppendBigEndian(encoded_headers, static_cast<std::uint64_t>(v.get<std::int64_t>()), 8);
    } else if (v.is_binary()) {
      encoded_headers.push_back(static_cast<char>(HeaderType::kByteArray));
      AppendBigEndian(encoded_headers, v.get_binary().size(), 2);
      encoded_headers.append(v.get_binary().begin(), v.get_binary().end());
    } else {
      const std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      encoded_headers.push_back(static_cast<char>(HeaderType::kString));
      AppendBigEndian(encoded_headers, text.size(), 2);
      encoded_headers += text;
    }
  }
  std::string out;
  AppendBigEndian(out, kPreludeLength + encoded_headers.size() + payload.size() + 4, 4);
  AppendBigEndian(out, encoded_headers.size(), 4);
  AppendBigEndian(out, Crc32(out), 4);
  out += encoded_headers;
  out += payload;
  AppendBigEndian(out, Crc32(std::string_view(out).substr(8), Crc32(std::string_view(out).substr(0, 8))), 4);
  return out;
}

const model::Member* EventStreamMember(const model::Shape& shape) {
  for (const model::Member& member : shape.members) {
    if (member.shape != nullptr && member.shape->is_event_stream) return &member;
  }
  return nullptr;
}

namespace {

// BaseEventStreamParser._do_parse for an event shape: header members, then
// the payload member (or the whole body as the event shape).
absl::StatusOr<Value> ParseEvent(const model::Shape& event, const Message& message, const ParseOptions& options,
                                 const PayloadParser& parse_payload) {
  Value parsed = Value::object();
  for (const model::Member& member : event.members) {
    if (!member.traits.event_header) continue;
    auto it = message.headers.find(member.name);
    if (it == message.headers.end()) continue;
    Value value = *it;
    if (member.shape->type == model::ShapeType::kTimestamp) {
      // Milliseconds on the wire; botocore divides by 1000.0.
      if (!value.is_number()) {
        return absl::DataLossError(absl::StrCat("event-stream header ", member.name, " is not a timestamp"));
      }
      const Value seconds = value.get<double>() / 1000.0;
      absl::StatusOr<Timestamp> t = TimestampFromJson(seconds);
      if (!t.ok())
        return absl::DataLossError(absl::StrCat("event-stream header ", member.name, ": ", t.status().message()));
      value = TimestampResult(*t, seconds, options.timestamps);
    }
    parsed[member.name] = std::move(value);
  }
  for (const model::Member& member : event.members) {
    if (!member.traits.event_payload) continue;
    if (member.shape->type == model::ShapeType::kBlob) {
      parsed[member.name] = Binary(message.payload);
    } else if (member.shape->type == model::ShapeType::kString) {
      if (!py::IsUtf8(message.payload)) {
        return absl::DataLossError(absl::StrCat("event-stream payload ", member.name, " is not UTF-8"));
      }
      parsed[member.name] = message.payload;
    } else {
      absl::StatusOr<Value> body = parse_payload(member, message.payload);
      if (!body.ok()) return body.status();
      parsed[member.name] = *std::move(body);
    }
    return parsed;
  }
  const model::Member whole{event.name, &event, event.traits};
  absl::StatusOr<Value> body = parse_payload(whole, message.payload);
  if (!body.ok()) return body.status();
  if (body->is_object()) {
    for (auto it = body->begin(); it != body->end(); ++it) parsed[it.key()] = std::move(it.value());
  }
  return parsed;
}

// BaseEventStreamParser._do_error_parse, raised as EventStreamError.
absl::Status EventError(const model::Shape& stream, const Message& message, const PayloadParser& parse_payload,
                        std::string_view operation_name) {
  std::string code;
  std::string text;
  const std::string* exception_type = StringHeader(message.headers, ":exception-type");
  const model::Member* exception = exception_type != nullptr ? stream.FindMember(*exception_type) : nullptr;
  if (exception != nullptr) {
    code = *exception_type;
    absl::StatusOr<Value> body = parse_payload(*exception, message.payload);
    if (!body.ok()) return body.status();
    if (body->is_object()) {
      auto it = body->find("Message");
      if (it == body->end()) it = body->find("message");
      if (it != body->end()) text = it->is_string() ? it->get<std::string>() : it->dump();
    }
  } else {
    if (const std::string* c = StringHeader(message.headers, ":error-code")) code = *c;
    if (const std::string* m = StringHeader(message.headers, ":error-message")) text = *m;
  }
  return absl::AbortedError(absl::StrCat("An error occurred (", code, ") when calling the ",
                                         std::string(operation_name), " operation: ", text));
}

}  // namespace

absl::StatusOr<Value> ParseEvents(const model::Shape& stream, const std::vector<Message>& messages, std::size_t first,
                                  const ParseOptions& options, const PayloadParser& parse_payload,
                                  std::string_view operation_name) {
  Value events = Value::array();
  for (std::size_t i = first; i < messages.size(); ++i) {
    const Message& message = messages[i];
    const std::string* message_type = StringHeader(message.headers, ":message-type");
    if (message_type != nullptr && (*message_type == "error" || *message_type == "exception")) {
      return EventError(stream, message, parse_payload, operation_name);
    }
    const std::string* event_type = StringHeader(message.headers, ":event-type");
    const model::Member* event = event_type != nullptr ? stream.FindMember(*event_type) : nullptr;
    if (event == nullptr) continue;  // parses to {}, which the iterator skips
    absl::StatusOr<Value> parsed = ParseEvent(*event->shape, message, options, parse_payload);
    if (!parsed.ok()) return parsed.status();
    Value item = Value::object();
    item[*event_type] = *std::move(parsed);
    events.push_back(std::move(item));
  }
  return events;
}

}  // namespace awsd::protocols::event_stream
