#include "daemon/model/shape.h"

#include <algorithm>

namespace awsd::model {

const Member* Shape::FindMember(std::string_view member_name) const {
  for (const Member& m : members) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

bool Shape::IsRequired(std::string_view member_name) const {
  return std::find(required.begin(), required.end(), member_name) != required.end();
}

const char* ShapeTypeName(ShapeType type) {
  switch (type) {
    case ShapeType::kStructure:
      return "structure";
    case ShapeType::kList:
      return "list";
    case ShapeType::kMap:
      return "map";
    case ShapeType::kString:
      return "string";
    case ShapeType::kInteger:
      return "integer";
    case ShapeType::kLong:
      return "long";
    case ShapeType::kShort:
      return "short";
    case ShapeType::kByte:
      return "byte";
    case ShapeType::kFloat:
      return "float";
    case ShapeType::kDouble:
      return "double";
    case ShapeType::kBoolean:
      return "boolean";
    case ShapeType::kTimestamp:
      return "timestamp";
    case ShapeType::kBlob:
      return "blob";
    case ShapeType::kBigInteger:
      return "bigInteger";
    case ShapeType::kBigDecimal:
      return "bigDecimal";
  }
  return "unknown";
}

}  // namespace awsd::model
