#include "daemon/invoke/s3_list_encoding.h"

#include <array>
#include <utility>

namespace awsd::invoke {
namespace {

struct ListingKeys {
  std::string_view operation;
  std::array<std::string_view, 4> top;
  std::array<std::pair<std::string_view, std::string_view>, 3> nested;
};

constexpr ListingKeys kListings[] = {
    {"ListObjects",
     {"Delimiter", "Marker", "NextMarker", ""},
     {{{"Contents", "Key"}, {"CommonPrefixes", "Prefix"}, {}}}},
    {"ListObjectsV2",
     {"Delimiter", "Prefix", "StartAfter", ""},
     {{{"Contents", "Key"}, {"CommonPrefixes", "Prefix"}, {}}}},
    {"ListObjectVersions",
     {"KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"},
     {{{"Versions", "Key"}, {"DeleteMarkers", "Key"}, {"CommonPrefixes", "Prefix"}}}},
};

const ListingKeys* Find(std::string_view operation) {
  for (const ListingKeys& listing : kListings) {
    if (listing.operation == operation) return &listing;
  }
  return nullptr;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// urllib.parse.unquote_plus: '+' is a space, %XX a byte; a malformed escape
// stays as written.
std::string UnquotePlus(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

void DecodeString(protocols::Value& value) {
  if (value.is_string()) value = UnquotePlus(value.get_ref<const std::string&>());
}

}  // namespace

bool SetListObjectsEncodingType(std::string_view operation, protocols::Value& params) {
  if (Find(operation) == nullptr || params.contains("EncodingType")) return false;
  params["EncodingType"] = "url";
  return true;
}

void DecodeListObjectKeys(std::string_view operation, std::string& json) {
  const ListingKeys* listing = Find(operation);
  if (listing == nullptr) return;
  protocols::Value parsed = protocols::Value::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return;
  auto encoding = parsed.find("EncodingType");
  if (encoding == parsed.end() || *encoding != "url") return;
  for (std::string_view key : listing->top) {
    if (key.empty()) continue;
    if (auto found = parsed.find(std::string(key)); found != parsed.end()) DecodeString(*found);
  }
  for (const auto& [list, child] : listing->nested) {
    if (list.empty()) continue;
    auto found = parsed.find(std::string(list));
    if (found == parsed.end() || !found->is_array()) continue;
    for (protocols::Value& member : *found) {
      if (!member.is_object()) continue;
      if (auto field = member.find(std::string(child)); field != member.end()) DecodeString(*field);
    }
  }
  json = parsed.dump(-1, ' ', false, protocols::Value::error_handler_t::replace);
}

}  // namespace awsd::invoke
