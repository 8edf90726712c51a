#include "daemon/encoding/cbor_decoder.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace awsd::encoding {
namespace {

constexpr uint8_t kBreak = 0xff;
constexpr uint8_t kIndefinite = 31;

const char* MajorName(uint8_t major) {
  static constexpr const char* kNames[] = {
      "unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag", "simple/float"};
  return kNames[major & 7];
}

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const uint8_t lead = static_cast<uint8_t>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0;
    uint32_t smallest = 0;
    if ((lead & 0xe0) == 0xc0) {
      length = 2, code_point = lead & 0x1f, smallest = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3, code_point = lead & 0x0f, smallest = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4, code_point = lead & 0x07, smallest = 0x10000;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const uint8_t next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3f);
    }
    if (code_point < smallest || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

struct Head {
  size_t offset;  // of the initial byte
  uint8_t major;
  uint8_t info;       // the additional information, 0-27 or 31
  uint64_t argument;  // 0 when indefinite
  bool indefinite() const { return info == kIndefinite; }
};

class Decoder {
 public:
  Decoder(std::string_view input, const CborLimits& limits) : input_(input), limits_(limits) {}

  absl::StatusOr<CborItem> DecodeAll() {
    absl::StatusOr<CborItem> item = DecodeItem(0);
    if (!item.ok()) return item;
    if (pos_ != input_.size()) {
      return Error(pos_, absl::StrCat(remaining(), " trailing byte(s) after the top-level item"));
    }
    return item;
  }

 private:
  size_t remaining() const { return input_.size() - pos_; }
  bool AtBreak() const { return pos_ < input_.size() && static_cast<uint8_t>(input_[pos_]) == kBreak; }

  static absl::Status Error(size_t offset, const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat("CBOR: ", what, " at byte ", offset));
  }

  absl::StatusOr<Head> ReadHead() {
    if (pos_ >= input_.size()) return Error(pos_, "unexpected end of input, expected a data item");
    Head head{pos_, 0, 0, 0};
    const uint8_t initial = static_cast<uint8_t>(input_[pos_++]);
    head.major = initial >> 5;
    head.info = initial & 0x1f;
    if (head.info < 24) {
      head.argument = head.info;
    } else if (head.info <= 27) {
      const size_t width = size_t{1} << (head.info - 24);
      if (remaining() < width) {
        return Error(head.offset, absl::StrCat("truncated head: a ", width, "-byte argument but only ", remaining(),
                                               " byte(s) remain"));
      }
      for (size_t i = 0; i < width; ++i) {
        head.argument = (head.argument << 8) | static_cast<uint8_t>(input_[pos_++]);
      }
    } else if (head.info < kIndefinite) {
      return Error(head.offset, absl::StrCat("reserved additional information ", head.info));
    } else if (head.major == 0 || head.major == 1 || head.major == 6) {
      return Error(head.offset, absl::StrCat("indefinite length on a ", MajorName(head.major)));
    }
    return head;
  }

  absl::StatusOr<CborItem> DecodeItem(int depth) {
    absl::StatusOr<Head> head = ReadHead();
    if (!head.ok()) return head.status();
    switch (head->major) {
      case 0:
        return CborItem::Unsigned(head->argument);
      case 1:
        return CborItem::Negative(head->argument);
      case 2:
      case 3: {
        absl::StatusOr<std::string> content = ReadString(*head);
        if (!content.ok()) return content.status();
        return head->major == 2 ? CborItem::Bytes(*std::move(content)) : CborItem::Text(*std::move(content));
      }
      case 4:
      case 5:
      case 6:
        if (depth >= limits_.max_depth) {
          return Error(head->offset, absl::StrCat("nesting deeper than the limit of ", limits_.max_depth));
        }
        if (head->major == 4) return DecodeArray(*head, depth + 1);
        if (head->major == 5) return DecodeMap(*head, depth + 1);
        return DecodeTag(*head, depth + 1);
      default:
        return DecodeMajor7(*head);
    }
  }

  absl::StatusOr<std::string> ReadString(const Head& head) {
    if (!head.indefinite()) return ReadChunk(head);
    std::string content;
    while (!AtBreak()) {
      if (pos_ >= input_.size()) {
        return Error(pos_, absl::StrCat("unexpected end of input, expected a break to close the indefinite ",
                                        MajorName(head.major), " at byte ", head.offset));
      }
      absl::StatusOr<Head> chunk = ReadHead();
      if (!chunk.ok()) return chunk.status();
      if (chunk->major != head.major) {
        return Error(chunk->offset, absl::StrCat("a ", MajorName(chunk->major), " inside an indefinite ",
                                                 MajorName(head.major), " (chunks must be of its type)"));
      }
      if (chunk->indefinite()) {
        return Error(chunk->offset,
                     absl::StrCat("an indefinite chunk nested in an indefinite ", MajorName(head.major)));
      }
      absl::StatusOr<std::string> piece = ReadChunk(*chunk);
      if (!piece.ok()) return piece.status();
      content += *piece;
    }
    ++pos_;  // the break
    return content;
  }

  // A definite string's content; text is checked per chunk, since RFC 8949
  // does not let a character straddle two.
  absl::StatusOr<std::string> ReadChunk(const Head& head) {
    if (head.argument > remaining()) {
      return Error(head.offset, absl::StrCat("a ", MajorName(head.major), " of ", head.argument, " byte(s) but only ",
                                             remaining(), " remain"));
    }
    std::string content(input_.substr(pos_, static_cast<size_t>(head.argument)));
    if (head.major == 3 && limits_.require_utf8 && !IsUtf8(content)) {
      return Error(pos_, "a text string that is not valid UTF-8");
    }
    pos_ += content.size();
    return content;
  }

  absl::StatusOr<CborItem> DecodeArray(const Head& head, int depth) {
    CborItem array = CborItem::ArrayOf();
    if (!head.indefinite()) {
      // Every item takes at least a byte, which bounds the reservation.
      if (head.argument > remaining()) {
        return Error(head.offset,
                     absl::StrCat("an array of ", head.argument, " item(s) but only ", remaining(), " byte(s) remain"));
      }
      array.mutable_array().reserve(static_cast<size_t>(head.argument));
      for (uint64_t i = 0; i < head.argument; ++i) {
        absl::StatusOr<CborItem> item = DecodeItem(depth);
        if (!item.ok()) return item.status();
        array.mutable_array().push_back(*std::move(item));
      }
      return array;
    }
    while (!AtBreak()) {
      if (pos_ >= input_.size()) {
        return Error(pos_, absl::StrCat("unexpected end of input, expected a break to close the indefinite array at "
                                        "byte ",
                                        head.offset));
      }
      absl::StatusOr<CborItem> item = DecodeItem(depth);
      if (!item.ok()) return item.status();
      array.mutable_array().push_back(*std::move(item));
    }
    ++pos_;
    return array;
  }

  absl::StatusOr<CborItem> DecodeMap(const Head& head, int depth) {
    CborItem map = CborItem::MapOf();
    if (!head.indefinite()) {
      if (head.argument > remaining() / 2) {
        return Error(head.offset,
                     absl::StrCat("a map of ", head.argument, " pair(s) but only ", remaining(), " byte(s) remain"));
      }
      map.mutable_map().reserve(static_cast<size_t>(head.argument));
      for (uint64_t i = 0; i < head.argument; ++i) {
        absl::Status status = DecodePair(depth, map);
        if (!status.ok()) return status;
      }
      return map;
    }
    while (!AtBreak()) {
      if (pos_ >= input_.size()) {
        return Error(pos_, absl::StrCat("unexpected end of input, expected a break to close the indefinite map at "
                                        "byte ",
                                        head.offset));
      }
      absl::Status status = DecodePair(depth, map);
      if (!status.ok()) return status;
    }
    ++pos_;
    return map;
  }

  absl::Status DecodePair(int depth, CborItem& map) {
    absl::StatusOr<CborItem> key = DecodeItem(depth);
    if (!key.ok()) return key.status();
    if (AtBreak()) return Error(pos_, "a break between a map key and its value");
    absl::StatusOr<CborItem> value = DecodeItem(depth);
    if (!value.ok()) return value.status();
    map.mutable_map().emplace_back(*std::move(key), *std::move(value));
    return absl::OkStatus();
  }

  absl::StatusOr<CborItem> DecodeTag(const Head& head, int depth) {
    absl::StatusOr<CborItem> item = DecodeItem(depth);
    if (!item.ok()) return item.status();
    return CborItem::Tagged(head.argument, *std::move(item));
  }

  absl::StatusOr<CborItem> DecodeMajor7(const Head& head) {
    switch (head.info) {
      case 24:
        if (head.argument < 32) {
          return Error(head.offset,
                       absl::StrCat("simple value ", head.argument, " in two bytes (below 32 it must be one)"));
        }
        return CborItem::Simple(static_cast<uint8_t>(head.argument));
      case 25:
        return CborItem::Float(HalfBitsToDouble(static_cast<uint16_t>(head.argument)), CborFloatWidth::kHalf);
      case 26:
        return CborItem::Float(SingleBitsToDouble(static_cast<uint32_t>(head.argument)), CborFloatWidth::kSingle);
      case 27:
        return CborItem::Float(std::bit_cast<double>(head.argument), CborFloatWidth::kDouble);
      case kIndefinite:
        return Error(head.offset, "a break (0xff) where a data item was expected");
      default:  // 0-23: the simple value itself
        return CborItem::Simple(static_cast<uint8_t>(head.info));
    }
  }

  std::string_view input_;
  const CborLimits& limits_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<CborItem> DecodeCbor(std::string_view bytes, const CborLimits& limits) {
  return Decoder(bytes, limits).DecodeAll();
}

}  // namespace awsd::encoding
