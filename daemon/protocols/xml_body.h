#pragma once

// XML bodies as botocore's query, ec2 and rest-xml code reads and writes
// them: responses walked by shape as BaseXMLResponseParser does (elements
// matched by local name, repeats aggregated, flattened lists and maps,
// xmlAttribute members), and request bodies written as RestXMLSerializer
// builds them with ElementTree. Also the scalar-to-text rules the query
// serializer shares with the XML one.
//
// Everything here survives arbitrary bytes: malformed documents and values
// of the wrong type are DataLoss, nesting is bounded by kMaxDepth.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "daemon/model/shape.h"
#include "daemon/protocols/protocol.h"
#include "daemon/protocols/value.h"
#include "pugixml.hpp"

namespace awsd::protocols::xml {

// Deeper documents or parameters are refused rather than recursed into
// (Python would stop at its recursion limit; AWS responses nest < 20).
inline constexpr int kMaxDepth = 100;

// ---- Reading ----------------------------------------------------------------

// A response body parsed as expat would accept it: well-formed UTF-8 with one
// root element (a BOM, an XML declaration, comments and processing
// instructions allowed); junk after the root, repeated attributes, bare '&'
// and undefined entities are refused. No entity is ever fetched or expanded
// beyond the five predefined ones and character references.
class Document {
 public:
  // DataLoss naming what is wrong ("invalid XML received ...").
  static absl::StatusOr<Document> Parse(std::string_view body);

  // The root element.
  pugi::xml_node root() const;

 private:
  explicit Document(std::unique_ptr<pugi::xml_document> doc) : doc_(std::move(doc)) {}
  std::unique_ptr<pugi::xml_document> doc_;
};

// The tag without its namespace prefix ("s3:Key" → "Key"), as botocore strips
// "{uri}" from ElementTree tags.
std::string_view LocalName(pugi::xml_node node);

// True when `node` has a default namespace declared on itself ("xmlns=..."):
// ElementTree would then see "{uri}Tag", not "Tag".
bool HasDefaultNamespace(pugi::xml_node node);

// ElementTree's `.text`: the character data before the first child element,
// CDATA included. DataLoss when it is not valid UTF-8.
absl::StatusOr<std::string> Text(pugi::xml_node node);

// The elements of one name under a parent: one node, or (when the name
// repeats) all of them in document order. botocore's _build_name_to_xml_node
// value (a node or a list of nodes). A null node stands for an empty element.
struct Nodes {
  std::vector<pugi::xml_node> items;

  bool repeated() const { return items.size() > 1; }
  pugi::xml_node first() const { return items.empty() ? pugi::xml_node() : items.front(); }
};

// The child elements of a node grouped by local name, names in first-seen order.
class ChildIndex {
 public:
  explicit ChildIndex(pugi::xml_node parent);

  const Nodes* Find(std::string_view name) const;
  const std::vector<std::pair<std::string_view, Nodes>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string_view, Nodes>> entries_;
  std::unordered_map<std::string_view, std::size_t> by_name_;
};

// Where an exception structure's members live in an error document.
enum class ErrorRoot {
  kErrorResponse,  // query and rest-xml: <ErrorResponse><Error>..., else the root itself
  kEc2Errors,      // ec2: <Response><Errors><Error>..., else the root itself
};

// Walks XML by shape, as BaseXMLResponseParser._parse_shape does.
class ShapeReader {
 public:
  ShapeReader(const ParseOptions& options, ErrorRoot error_root) : options_(options), error_root_(error_root) {}

  // `member` as found at `node` (a null node: an empty element). Members in a
  // header, headers or statusCode location are left for the caller.
  absl::StatusOr<Value> Read(const model::Member& member, pugi::xml_node node) const;
  absl::StatusOr<Value> Read(const model::Member& member, const Nodes& nodes) const;

 private:
  absl::StatusOr<Value> ReadAt(const model::Member& member, const Nodes& nodes, int depth) const;
  absl::StatusOr<Value> ReadStructure(const model::Member& member, const Nodes& nodes, int depth) const;
  absl::StatusOr<Value> ReadList(const model::Member& member, const Nodes& nodes, int depth) const;
  absl::StatusOr<Value> ReadMap(const model::Member& member, const Nodes& nodes, int depth) const;
  absl::StatusOr<Value> ReadScalar(const model::Member& member, pugi::xml_node node) const;
  pugi::xml_node ErrorRootOf(pugi::xml_node node) const;

  ParseOptions options_;
  ErrorRoot error_root_;
};

// A member standing for a whole shape (an operation-less error shape), with
// the shape's own traits.
model::Member WholeShape(const model::Shape& shape, std::string name = "");

// botocore's _build_name_to_xml_node + _replace_nodes: the children of
// `node` as a dict of name → text (null when empty) or nested dict; a
// repeated name keeps the first element's children. Used for error bodies
// and ResponseMetadata, which are read without a shape.
absl::StatusOr<Value> NodesToDict(pugi::xml_node node);

// ---- Writing ----------------------------------------------------------------

// The rest-xml request body for `params` as `member` (the input, or a
// structure payload member), under a root element `root_name`, byte for
// byte as ElementTree.tostring(encoding="utf-8") writes it (no declaration).
// InvalidArgument for parameters of the wrong JSON type.
absl::StatusOr<std::string> WriteBody(const model::Member& member, const std::string& root_name, const Value& params);

// ---- Scalars as botocore's query and XML serializers write them -------------

// Python's str() of a scalar parameter (py::Str), InvalidArgument for
// objects, arrays and null, which no scalar member can carry.
absl::StatusOr<std::string> ScalarStr(const Value& value);

// Python truthiness, as `if value:` decides botocore's "true"/"false".
bool Truthy(const Value& value);

// _handle_float then str(): ±Infinity and NaN spelled out, integers kept.
std::string FloatText(const Value& value);

// A timestamp parameter in `format` ("iso8601" when empty; "unixTimestamp",
// "rfc822"), as _convert_timestamp_to_str writes it.
absl::StatusOr<std::string> TimestampText(const Value& value, const std::string& format);

// A blob parameter's bytes: a json binary, or a string's UTF-8 bytes.
absl::StatusOr<std::string> BlobBytes(const Value& value);

// botocore's generate_idempotent_uuid: a copy of `params` whose top-level
// idempotencyToken members the caller left out hold
// options.idempotency_token(), or nullopt when nothing is missing.
std::optional<Value> WithIdempotencyTokens(const model::Operation& operation, const Value& params,
                                           const SerializeOptions& options);

}  // namespace awsd::protocols::xml
