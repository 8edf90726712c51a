#pragma once

// A service model's shapes, parsed once into an immutable graph. Shapes point
// at each other directly (recursive shapes included); every pointer stays
// valid for the life of the ServiceModel that owns them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace awsd::model {

enum class ShapeType {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kShort,
  kByte,
  kFloat,
  kDouble,
  kBoolean,
  kTimestamp,
  kBlob,
  kBigInteger,
  kBigDecimal,
};

// Where a member travels. Body for everything outside rest protocols.
enum class Location { kBody, kUri, kQueryString, kHeader, kHeaders, kStatusCode };

struct XmlNamespace {
  std::string prefix;  // empty: the default namespace (xmlns="...")
  std::string uri;
};

// The keys botocore lets a member reference override on the shape it points
// to (its resolver copies the shape and lays the member's keys over it).
// Shapes carry their own; members carry the merged result.
struct Traits {
  std::string location_name;  // empty: the member's own name
  std::string query_name;     // ec2's queryName
  Location location = Location::kBody;
  std::optional<XmlNamespace> xml_namespace;
  std::string timestamp_format;  // "iso8601", "rfc822", "unixTimestamp" or empty
  std::string context_param;     // the endpoint rule parameter this member feeds
  bool flattened = false;
  bool xml_attribute = false;
  bool jsonvalue = false;
  bool host_label = false;
  bool streaming = false;
  bool event_header = false;
  bool event_payload = false;
  bool idempotency_token = false;
};

struct Shape;

// A reference to a shape as seen from one place: a structure member, a list's
// element, a map's key or value, an operation's input or output.
struct Member {
  std::string name;  // the member's name in parameters and results
  const Shape* shape = nullptr;
  Traits traits;

  // locationName, else the member name.
  const std::string& wire_name() const { return traits.location_name.empty() ? name : traits.location_name; }
};

struct ErrorInfo {
  std::string code;  // error.code, else the shape name
  int http_status = 0;
  bool sender_fault = false;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;
  Traits traits;

  // Structures: members in model order, and which are required.
  std::vector<Member> members;
  std::vector<std::string> required;
  std::string payload;  // rest protocols: the member that is the whole body

  // Lists: the element; maps: key and value.
  Member member;
  Member key;
  Member value;

  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> enum_values;

  bool is_document = false;
  bool is_union = false;
  bool is_exception = false;
  bool is_fault = false;
  bool is_event_stream = false;
  bool is_event = false;
  bool sensitive = false;
  bool requires_length = false;
  std::optional<ErrorInfo> error;  // exceptions: their error trait

  bool is_scalar() const {
    return type != ShapeType::kStructure && type != ShapeType::kList && type != ShapeType::kMap;
  }
  const Member* FindMember(std::string_view member_name) const;
  bool IsRequired(std::string_view member_name) const;
};

const char* ShapeTypeName(ShapeType type);

}  // namespace awsd::model
