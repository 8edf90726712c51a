#include "daemon/protocols/xml_body.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <system_error>
#include <unordered_set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/protocols/python_compat.h"
#include "daemon/protocols/timestamps.h"

namespace awsd::protocols::xml {
namespace {

using model::Location;
using model::Member;
using model::Shape;
using model::ShapeType;

absl::Status InvalidXml(std::string_view why) {
  return absl::DataLossError(absl::StrCat("Unable to parse response (", std::string(why),
                                          "), invalid XML received. Further retries may succeed"));
}

absl::Status TooDeep() { return absl::DataLossError("Unable to parse response: XML nested too deeply"); }

bool IsXmlWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (!IsXmlWhitespace(c)) return false;
  }
  return true;
}

// Expat refuses C0 controls other than tab, newline and carriage return.
bool HasForbiddenControl(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
  }
  return false;
}

// Expat refuses an '&' that starts neither a character reference nor one of
// the five predefined entities; pugixml would keep it as text. CDATA,
// comments and processing instructions are skipped. A document with a
// DOCTYPE may declare entities of its own: it is left to pugixml (AWS sends
// none).
bool HasBadReference(std::string_view body) {
  std::size_t i = 0;
  while ((i = body.find_first_of("&<", i)) != std::string_view::npos) {
    const std::string_view rest = body.substr(i);
    if (rest.front() == '<') {
      std::string_view close;
      if (rest.substr(0, 9) == "<![CDATA[") {
        close = "]]>";
      } else if (rest.substr(0, 4) == "<!--") {
        close = "-->";
      } else if (rest.substr(0, 2) == "<?") {
        close = "?>";
      } else if (rest.substr(0, 9) == "<!DOCTYPE") {
        return false;
      } else {
        ++i;
        continue;
      }
      const std::size_t end = body.find(close, i + 2);
      if (end == std::string_view::npos) return false;  // unterminated: pugixml reports it
      i = end + close.size();
      continue;
    }
    const std::size_t semi = rest.find(';');
    if (semi == std::string_view::npos) return true;
    const std::string_view name = rest.substr(1, semi - 1);
    i += semi + 1;
    if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") continue;
    if (name.size() < 2 || name.front() != '#') return true;
    const bool hex = name[1] == 'x';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return true;
    for (char c : digits) {
      if (!(hex ? absl::ascii_isxdigit(static_cast<unsigned char>(c))
                : absl::ascii_isdigit(static_cast<unsigned char>(c)))) {
        return true;
      }
    }
  }
  return false;
}

// What expat refuses beyond what pugixml does: a repeated attribute, and
// text or attribute values whose character references name a code point XML
// does not allow (a surrogate, a C0 control).
bool IsAcceptableText(std::string_view text) { return py::IsUtf8(text) && !HasForbiddenControl(text); }

bool IsAcceptableNode(pugi::xml_node node) {
  if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) return IsAcceptableText(node.value());
  if (node.type() != pugi::node_element) return true;
  // Pairwise for the usual handful of attributes, hashed beyond that so that
  // a hostile element with thousands of them stays linear.
  std::vector<std::string_view> names;
  std::unordered_set<std::string_view> many;
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (!IsAcceptableText(a.value())) return false;
    const std::string_view name = a.name();
    if (names.size() < 8) {
      for (std::string_view seen : names) {
        if (seen == name) return false;
      }
      names.push_back(name);
      continue;
    }
    if (many.empty()) many.insert(names.begin(), names.end());
    if (!many.insert(name).second) return false;
  }
  return true;
}

// Every node of the tree passes `check`; walked without recursion.
template <typename Check>
bool AllNodes(pugi::xml_node root, Check check) {
  pugi::xml_node node = root;
  while (node) {
    if (!check(node)) return false;
    if (node.first_child()) {
      node = node.first_child();
      continue;
    }
    while (node && node != root && !node.next_sibling()) node = node.parent();
    if (!node || node == root) break;
    node = node.next_sibling();
  }
  return true;
}

bool IsBodyLocation(const Member& member) {
  const Location location = member.traits.location;
  return location != Location::kHeader && location != Location::kHeaders && location != Location::kStatusCode &&
         !member.traits.event_header;
}

// botocore's _member_key_name: a flattened list is found by its element's
// name, anything else by its locationName, else the member name.
const std::string& MemberKeyName(const Member& member) {
  if (member.shape->type == ShapeType::kList && member.traits.flattened &&
      !member.shape->member.traits.location_name.empty()) {
    return member.shape->member.traits.location_name;
  }
  return member.wire_name();
}

absl::Status BadValue(const Member& member, std::string_view text, const absl::Status& why) {
  return absl::DataLossError(
      absl::StrCat("invalid value '", std::string(text.substr(0, 64)), "' for ", member.name, ": ", why.message()));
}

// ---- Writing ----

// A tiny ElementTree: enough to write what RestXMLSerializer builds.
struct Element {
  std::string tag;
  std::vector<std::pair<std::string, std::string>> attributes;  // insertion order, as Python dicts
  std::string text;
  std::vector<std::unique_ptr<Element>> children;

  Element& AddChild(std::string child_tag) {
    children.push_back(std::make_unique<Element>());
    children.back()->tag = std::move(child_tag);
    return *children.back();
  }

  void SetAttribute(const std::string& name, std::string value) {
    for (auto& [existing, old] : attributes) {
      if (existing == name) {
        old = std::move(value);
        return;
      }
    }
    attributes.emplace_back(name, std::move(value));
  }
};

// The entity for `c` in ElementTree's _escape_cdata, or with `attribute` in
// its _escape_attrib (which also keeps quotes and whitespace intact); null
// when `c` stays as it is.
const char* EscapeFor(char c, bool attribute) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    default:
      break;
  }
  if (!attribute) return nullptr;
  switch (c) {
    case '"':
      return "&quot;";
    case '\n':
      return "&#10;";
    case '\r':
      return "&#13;";
    case '\t':
      return "&#09;";
    default:
      return nullptr;
  }
}

void AppendEscaped(std::string_view text, bool attribute, std::string& out) {
  for (char c : text) {
    if (const char* entity = EscapeFor(c, attribute)) {
      out += entity;
    } else {
      out += c;
    }
  }
}

// ElementTree's _serialize_xml with short empty elements ("<a />"). The tree
// is at most kMaxDepth deep, so recursion is bounded.
void WriteElement(const Element& element, std::string& out) {
  out += '<';
  out += element.tag;
  for (const auto& [name, value] : element.attributes) {
    out += ' ';
    out += name;
    out += "=\"";
    AppendEscaped(value, /*attribute=*/true, out);
    out += '"';
  }
  if (element.text.empty() && element.children.empty()) {
    out += " />";
    return;
  }
  out += '>';
  AppendEscaped(element.text, /*attribute=*/false, out);
  for (const auto& child : element.children) WriteElement(*child, out);
  out += "</";
  out += element.tag;
  out += '>';
}

void AddNamespace(const model::Traits& traits, Element& node) {
  if (!traits.xml_namespace) return;
  std::string name = "xmlns";
  if (!traits.xml_namespace->prefix.empty()) absl::StrAppend(&name, ":", traits.xml_namespace->prefix);
  node.SetAttribute(name, traits.xml_namespace->uri);
}

absl::Status WrongType(const std::string& name, const char* expected) {
  return absl::InvalidArgumentError(absl::StrCat("parameter ", name, " must be ", expected));
}

// RestXMLSerializer._serialize: one parameter under `parent` as `name`.
absl::Status WriteMember(const Member& member, const Value& value, Element& parent, const std::string& name,
                         int depth) {
  if (depth > kMaxDepth) return absl::InvalidArgumentError("parameters nested too deeply");
  const Shape& shape = *member.shape;
  switch (shape.type) {
    case ShapeType::kStructure: {
      if (!value.is_object()) return WrongType(name, "an object");
      Element& node = parent.AddChild(name);
      AddNamespace(member.traits, node);
      for (const auto& [key, item] : value.items()) {
        const Member* child = shape.FindMember(key);
        if (child == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown parameter ", key, " in ", name));
        // botocore returns here, dropping the members after a None.
        if (item.is_null()) return absl::OkStatus();
        if (child->traits.xml_attribute) {
          absl::StatusOr<std::string> text = ScalarStr(item);
          if (!text.ok()) return text.status();
          node.SetAttribute(child->wire_name(), *std::move(text));
          continue;
        }
        if (absl::Status s = WriteMember(*child, item, node, child->wire_name(), depth + 1); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    case ShapeType::kList: {
      if (!value.is_array()) return WrongType(name, "a list");
      const bool flattened = member.traits.flattened;
      const std::string element_name =
          flattened ? name : (shape.member.traits.location_name.empty() ? "member" : shape.member.traits.location_name);
      Element& list_node = flattened ? parent : parent.AddChild(name);
      // As botocore: a flattened list's namespace lands on the parent.
      AddNamespace(member.traits, list_node);
      for (const Value& item : value) {
        if (absl::Status s = WriteMember(shape.member, item, list_node, element_name, depth + 1); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    case ShapeType::kMap: {
      if (!value.is_object()) return WrongType(name, "a map");
      const bool flattened = member.traits.flattened;
      Element* node = nullptr;
      if (!flattened) {
        node = &parent.AddChild(name);
        AddNamespace(member.traits, *node);
      }
      const std::string key_name = shape.key.traits.location_name.empty() ? "key" : shape.key.traits.location_name;
      const std::string value_name =
          shape.value.traits.location_name.empty() ? "value" : shape.value.traits.location_name;
      for (const auto& [key, item] : value.items()) {
        Element& entry = flattened ? parent.AddChild(name) : node->AddChild("entry");
        if (absl::Status s = WriteMember(shape.key, Value(key), entry, key_name, depth + 1); !s.ok()) return s;
        if (absl::Status s = WriteMember(shape.value, item, entry, value_name, depth + 1); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    default:
      break;
  }
  absl::StatusOr<std::string> text;
  switch (shape.type) {
    case ShapeType::kBoolean:
      text = std::string(Truthy(value) ? "true" : "false");
      break;
    case ShapeType::kBlob: {
      absl::StatusOr<std::string> bytes = BlobBytes(value);
      if (!bytes.ok()) return bytes.status();
      text = py::B64Encode(*bytes);
      break;
    }
    case ShapeType::kTimestamp:
      text = TimestampText(value, member.traits.timestamp_format);
      break;
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      text = FloatText(value);
      break;
    default:
      text = ScalarStr(value);
      break;
  }
  if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat("parameter ", name, ": ", text.status().message()));
  Element& node = parent.AddChild(name);
  node.text = *std::move(text);
  AddNamespace(member.traits, node);
  return absl::OkStatus();
}

}  // namespace

// ---- Reading ----

absl::StatusOr<Document> Document::Parse(std::string_view body) {
  if (!py::IsUtf8(body)) return InvalidXml("not well-formed UTF-8");
  if (HasForbiddenControl(body)) return InvalidXml("not well-formed (invalid token)");
  if (HasBadReference(body)) return InvalidXml("undefined entity or bare '&'");
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  auto doc = std::make_unique<pugi::xml_document>();
  // Fragment mode keeps text outside the root so that junk after it can be
  // refused as expat does; whitespace text is kept because ElementTree keeps it.
  const unsigned options = pugi::parse_default | pugi::parse_ws_pcdata | pugi::parse_fragment;
  const pugi::xml_parse_result result = doc->load_buffer(body.data(), body.size(), options, pugi::encoding_utf8);
  if (!result) return InvalidXml(absl::StrCat(result.description(), " at offset ", result.offset));
  int elements = 0;
  for (pugi::xml_node child = doc->first_child(); child; child = child.next_sibling()) {
    switch (child.type()) {
      case pugi::node_element:
        ++elements;
        break;
      case pugi::node_pcdata:
        if (!IsBlank(child.value())) return InvalidXml("junk outside the document element");
        break;
      case pugi::node_cdata:
        return InvalidXml("junk outside the document element");
      default:
        break;
    }
  }
  if (elements == 0) return InvalidXml("no element found");
  if (elements > 1) return InvalidXml("junk after document element");
  if (!AllNodes(doc->document_element(), IsAcceptableNode)) {
    return InvalidXml("duplicate attribute or reference to invalid character number");
  }
  return Document(std::move(doc));
}

pugi::xml_node Document::root() const { return doc_->document_element(); }

std::string_view LocalName(pugi::xml_node node) {
  std::string_view name = node.name();
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool HasDefaultNamespace(pugi::xml_node node) {
  const pugi::xml_attribute xmlns = node.attribute("xmlns");
  return xmlns && *xmlns.value() != '\0';
}

absl::StatusOr<std::string> Text(pugi::xml_node node) {
  std::string text;
  for (pugi::xml_node child = node.first_child(); child && child.type() != pugi::node_element;
       child = child.next_sibling()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
  }
  // A character reference can still name a code point UTF-8 cannot carry.
  if (!py::IsUtf8(text) || HasForbiddenControl(text)) return InvalidXml("reference to invalid character number");
  return text;
}

ChildIndex::ChildIndex(pugi::xml_node parent) {
  for (pugi::xml_node child = parent.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = LocalName(child);
    const auto [it, inserted] = by_name_.emplace(name, entries_.size());
    if (inserted) entries_.emplace_back(name, Nodes{});
    entries_[it->second].second.items.push_back(child);
  }
}

const Nodes* ChildIndex::Find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &entries_[it->second].second;
}

model::Member WholeShape(const model::Shape& shape, std::string name) {
  return model::Member{name.empty() ? shape.name : std::move(name), &shape, shape.traits};
}

absl::StatusOr<Value> ShapeReader::Read(const Member& member, pugi::xml_node node) const {
  return ReadAt(member, Nodes{{node}}, 0);
}

absl::StatusOr<Value> ShapeReader::Read(const Member& member, const Nodes& nodes) const {
  return ReadAt(member, nodes, 0);
}

absl::StatusOr<Value> ShapeReader::ReadAt(const Member& member, const Nodes& nodes, int depth) const {
  if (depth > kMaxDepth) return TooDeep();
  switch (member.shape->type) {
    case ShapeType::kStructure:
      return ReadStructure(member, nodes, depth);
    case ShapeType::kList:
      return ReadList(member, nodes, depth);
    case ShapeType::kMap:
      return ReadMap(member, nodes, depth);
    default:
      // botocore would hand a scalar handler the list of repeats; the first
      // is the useful reading of that.
      return ReadScalar(member, nodes.first());
  }
}

pugi::xml_node ShapeReader::ErrorRootOf(pugi::xml_node node) const {
  if (error_root_ == ErrorRoot::kErrorResponse) {
    if (LocalName(node) != "ErrorResponse") return node;
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
      if (child.type() == pugi::node_element && LocalName(child) == "Error") return child;
    }
    return node;
  }
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element || LocalName(child) != "Errors") continue;
    for (pugi::xml_node error = child.first_child(); error; error = error.next_sibling()) {
      if (error.type() == pugi::node_element && LocalName(error) == "Error") return error;
    }
  }
  return node;
}

absl::StatusOr<Value> ShapeReader::ReadStructure(const Member& member, const Nodes& nodes, int depth) const {
  const Shape& shape = *member.shape;
  pugi::xml_node node = nodes.first();
  if (shape.is_exception) node = ErrorRootOf(node);
  const ChildIndex index(node);
  if (shape.is_union) {
    const std::pair<std::string_view, Nodes>* tag = nullptr;
    int set = 0;
    for (const auto& entry : index.entries()) {
      if (entry.first == "__type") continue;
      tag = &entry;
      ++set;
    }
    if (set != 1) {
      return absl::DataLossError(
          absl::StrCat("Invalid service response: ", shape.name, " must have one and only one member set."));
    }
    bool known = false;
    for (const Member& m : shape.members) known = known || m.wire_name() == tag->first;
    if (!known) return Value{{"SDK_UNKNOWN_MEMBER", {{"name", std::string(tag->first)}}}};
  }
  Value out = Value::object();
  for (const Member& m : shape.members) {
    if (!IsBodyLocation(m)) continue;
    if (const Nodes* found = index.Find(MemberKeyName(m)); found != nullptr) {
      absl::StatusOr<Value> value = ReadAt(m, *found, depth + 1);
      if (!value.ok()) return value.status();
      out[m.name] = *std::move(value);
    } else if (m.traits.xml_attribute) {
      // ElementTree names a namespaced attribute "{uri}local"; botocore
      // swaps "{uri}" for the prefix of the member's locationName.
      const std::string& location_name = m.wire_name();
      const std::string prefix = location_name.substr(0, location_name.find(':'));
      std::optional<std::string> match;
      for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
        const std::string_view name = a.name();
        if (name == "xmlns" || name.substr(0, 6) == "xmlns:") continue;
        const std::size_t colon = name.find(':');
        const std::string key =
            colon == std::string_view::npos ? std::string(name) : prefix + ":" + std::string(name.substr(colon + 1));
        if (key == location_name) match = a.value();
      }
      if (match) {
        if (!py::IsUtf8(*match)) return InvalidXml("reference to invalid character number");
        out[m.name] = *std::move(match);
      }
    }
  }
  return out;
}

absl::StatusOr<Value> ShapeReader::ReadList(const Member& member, const Nodes& nodes, int depth) const {
  std::vector<pugi::xml_node> items;
  if (nodes.repeated()) {
    items = nodes.items;
  } else if (member.traits.flattened) {
    items.push_back(nodes.first());
  } else {
    for (pugi::xml_node child = nodes.first().first_child(); child; child = child.next_sibling()) {
      if (child.type() == pugi::node_element) items.push_back(child);
    }
  }
  Value out = Value::array();
  for (pugi::xml_node item : items) {
    absl::StatusOr<Value> value = ReadAt(member.shape->member, Nodes{{item}}, depth + 1);
    if (!value.ok()) return value.status();
    out.push_back(*std::move(value));
  }
  return out;
}

absl::StatusOr<Value> ShapeReader::ReadMap(const Member& member, const Nodes& nodes, int depth) const {
  const Shape& shape = *member.shape;
  std::vector<pugi::xml_node> entries;
  if (nodes.repeated()) {
    entries = nodes.items;
  } else if (member.traits.flattened) {
    entries.push_back(nodes.first());
  } else {
    for (pugi::xml_node child = nodes.first().first_child(); child; child = child.next_sibling()) {
      if (child.type() == pugi::node_element) entries.push_back(child);
    }
  }
  const std::string key_name = shape.key.traits.location_name.empty() ? "key" : shape.key.traits.location_name;
  const std::string value_name = shape.value.traits.location_name.empty() ? "value" : shape.value.traits.location_name;
  Value out = Value::object();
  // As in botocore, an entry missing its key or value reuses the previous
  // entry's; only the first entry must have both.
  std::optional<Value> key;
  std::optional<Value> value;
  for (pugi::xml_node entry : entries) {
    for (pugi::xml_node part = entry.first_child(); part; part = part.next_sibling()) {
      if (part.type() != pugi::node_element) continue;
      const std::string_view tag = LocalName(part);
      if (tag == key_name) {
        absl::StatusOr<Value> parsed = ReadAt(shape.key, Nodes{{part}}, depth + 1);
        if (!parsed.ok()) return parsed.status();
        key = *std::move(parsed);
      } else if (tag == value_name) {
        absl::StatusOr<Value> parsed = ReadAt(shape.value, Nodes{{part}}, depth + 1);
        if (!parsed.ok()) return parsed.status();
        value = *std::move(parsed);
      } else {
        return absl::DataLossError(absl::StrCat("Unknown tag: ", std::string(tag)));
      }
    }
    if (!key || !value) return absl::DataLossError(absl::StrCat("map entry without a ", key ? value_name : key_name));
    out[key->is_string() ? key->get<std::string>() : key->dump()] = *value;
  }
  return out;
}

absl::StatusOr<Value> ShapeReader::ReadScalar(const Member& member, pugi::xml_node node) const {
  absl::StatusOr<std::string> text = Text(node);
  if (!text.ok()) return text.status();
  switch (member.shape->type) {
    case ShapeType::kBoolean:
      return Value(*text == "true");
    case ShapeType::kInteger:
    case ShapeType::kLong:
    case ShapeType::kShort:
    case ShapeType::kByte: {
      absl::StatusOr<Value> n = py::ParseInt(*text);
      if (!n.ok()) return BadValue(member, *text, n.status());
      return n;
    }
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      absl::StatusOr<double> d = py::ParseFloat(*text);
      if (!d.ok()) return BadValue(member, *text, d.status());
      return Value(*d);
    }
    case ShapeType::kTimestamp: {
      absl::StatusOr<Timestamp> t = ParseTimestamp(*text);
      if (!t.ok()) return BadValue(member, *text, t.status());
      return TimestampResult(*t, Value(*text), options_.timestamps);
    }
    case ShapeType::kBlob: {
      absl::StatusOr<std::string> bytes = py::B64Decode(*text);
      if (!bytes.ok()) return BadValue(member, *text, bytes.status());
      return Value::binary(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
    }
    default:
      return Value(*std::move(text));
  }
}

static absl::StatusOr<Value> NodesToDictAt(pugi::xml_node node, int depth) {
  if (depth > kMaxDepth) return TooDeep();
  Value out = Value::object();
  const ChildIndex index(node);
  for (const auto& [name, nodes] : index.entries()) {
    const pugi::xml_node first = nodes.first();
    bool has_children = nodes.repeated();
    for (pugi::xml_node child = first.first_child(); child && !has_children; child = child.next_sibling()) {
      has_children = child.type() == pugi::node_element;
    }
    if (has_children) {
      absl::StatusOr<Value> nested = NodesToDictAt(first, depth + 1);
      if (!nested.ok()) return nested.status();
      out[std::string(name)] = *std::move(nested);
      continue;
    }
    absl::StatusOr<std::string> text = Text(first);
    if (!text.ok()) return text.status();
    out[std::string(name)] = text->empty() ? Value() : Value(*std::move(text));
  }
  return out;
}

absl::StatusOr<Value> NodesToDict(pugi::xml_node node) { return NodesToDictAt(node, 0); }

// ---- Writing ----

absl::StatusOr<std::string> WriteBody(const model::Member& member, const std::string& root_name, const Value& params) {
  Element pseudo_root;
  if (absl::Status s = WriteMember(member, params, pseudo_root, root_name, 0); !s.ok()) return s;
  std::string out;
  if (!pseudo_root.children.empty()) WriteElement(*pseudo_root.children.front(), out);
  return out;
}

// ---- Scalars ----

absl::StatusOr<std::string> ScalarStr(const Value& value) {
  if (value.is_object() || value.is_array() || value.is_null()) {
    return absl::InvalidArgumentError(absl::StrCat("expected a scalar, got ", value.type_name()));
  }
  return py::Str(value);
}

bool Truthy(const Value& value) {
  switch (value.type()) {
    case Value::value_t::boolean:
      return value.get<bool>();
    case Value::value_t::number_integer:
      return value.get<std::int64_t>() != 0;
    case Value::value_t::number_unsigned:
      return value.get<std::uint64_t>() != 0;
    case Value::value_t::number_float:
      return value.get<double>() != 0;
    case Value::value_t::null:
    case Value::value_t::discarded:
      return false;
    case Value::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case Value::value_t::binary:
      return !value.get_binary().empty();
    default:
      return !value.empty();
  }
}

std::string FloatText(const Value& value) {
  // An integer stays one: str(1) is "1", not "1.0".
  return value.is_number_float() ? py::FloatStr(value.get<double>()) : py::Str(value);
}

absl::StatusOr<std::string> TimestampText(const Value& value, const std::string& format) {
  absl::StatusOr<Timestamp> t = TimestampFromJson(value);
  if (!t.ok()) return t.status();
  const std::string lower = absl::AsciiStrToLower(format);
  if (lower.empty() || lower == "iso8601") return FormatIso8601(*t);
  if (lower == "rfc822") return FormatRfc822(*t);
  if (lower == "unixtimestamp") return FormatEpochSeconds(*t).dump();
  return absl::InvalidArgumentError(absl::StrCat("unknown timestampFormat ", format));
}

absl::StatusOr<std::string> BlobBytes(const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_binary()) {
    const auto& bytes = value.get_binary();
    return std::string(bytes.begin(), bytes.end());
  }
  return absl::InvalidArgumentError(absl::StrCat("a blob must be bytes or a string, got ", value.type_name()));
}

std::optional<Value> WithIdempotencyTokens(const model::Operation& operation, const Value& params,
                                           const SerializeOptions& options) {
  if (!operation.input || !options.idempotency_token || !params.is_object()) return std::nullopt;
  std::optional<Value> filled;
  for (const Member& member : operation.input->shape->members) {
    if (!member.traits.idempotency_token || params.contains(member.name)) continue;
    if (!filled) filled = params;  // copied only when a token is missing: a blob may be large
    (*filled)[member.name] = options.idempotency_token();
  }
  return filled;
}

}  // namespace awsd::protocols::xml
