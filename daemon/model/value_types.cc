#include "daemon/model/value_types.h"

#include <map>
#include <set>
#include <vector>

namespace awsd::model {
namespace {

constexpr char kTimestamp[] = "@timestamp";
constexpr char kBlob[] = "@blob";

bool IsContainer(const Shape& shape) {
  return !shape.is_document &&
         (shape.type == ShapeType::kStructure || shape.type == ShapeType::kList || shape.type == ShapeType::kMap);
}

bool IsConverted(const Shape& shape) { return shape.type == ShapeType::kTimestamp || shape.type == ShapeType::kBlob; }

// The members of a container a value can sit under; streaming payloads are
// not part of the JSON.
std::vector<const Member*> Children(const Shape& shape) {
  std::vector<const Member*> children;
  if (shape.type == ShapeType::kStructure) {
    for (const Member& member : shape.members) {
      if (!member.traits.streaming && !member.shape->is_event_stream) children.push_back(&member);
    }
  } else if (shape.type == ShapeType::kList) {
    children.push_back(&shape.member);
  } else if (shape.type == ShapeType::kMap) {
    children.push_back(&shape.value);
  }
  return children;
}

class ValueTypeWalk {
 public:
  void Visit(const Shape* root) {
    std::vector<const Shape*> pending{root};
    while (!pending.empty()) {
      const Shape* shape = pending.back();
      pending.pop_back();
      if (shape == nullptr || !IsContainer(*shape) || !seen_.insert(shape).second) continue;
      for (const Member* child : Children(*shape)) pending.push_back(child->shape);
    }
  }

  // A fixpoint rather than a recursive descent, so cycles need no care.
  void Settle() {
    for (bool changed = true; changed;) {
      changed = false;
      for (const Shape* shape : seen_) {
        if (reaches_.contains(shape)) continue;
        for (const Member* child : Children(*shape)) {
          if (child->shape != nullptr && (IsConverted(*child->shape) || reaches_.contains(child->shape))) {
            reaches_.insert(shape);
            changed = true;
            break;
          }
        }
      }
    }
  }

  nlohmann::json Ref(const Shape* shape) const {
    if (shape == nullptr) return nullptr;
    if (shape->type == ShapeType::kTimestamp) return kTimestamp;
    if (shape->type == ShapeType::kBlob) return kBlob;
    if (!reaches_.contains(shape)) return nullptr;
    return shape->name;
  }

  nlohmann::json Shapes() const {
    nlohmann::json shapes = nlohmann::json::object();
    for (const Shape* shape : reaches_) {
      nlohmann::json node = nlohmann::json::object();
      if (shape->type == ShapeType::kStructure) {
        nlohmann::json members = nlohmann::json::object();
        for (const Member* member : Children(*shape)) {
          nlohmann::json ref = Ref(member->shape);
          if (!ref.is_null()) members[member->name] = std::move(ref);
        }
        node["members"] = std::move(members);
      } else {
        node[shape->type == ShapeType::kList ? "list" : "map"] = Ref(Children(*shape).front()->shape);
      }
      shapes[shape->name] = std::move(node);
    }
    return shapes;
  }

 private:
  std::set<const Shape*> seen_;
  std::set<const Shape*> reaches_;
};

}  // namespace

nlohmann::json ValueTypes(const Operation& operation) {
  ValueTypeWalk walk;
  const Shape* input = operation.input.has_value() ? operation.input->shape : nullptr;
  const Shape* output = operation.output.has_value() ? operation.output->shape : nullptr;
  walk.Visit(input);
  walk.Visit(output);
  walk.Settle();
  return {{"input", walk.Ref(input)}, {"output", walk.Ref(output)}, {"shapes", walk.Shapes()}};
}

}  // namespace awsd::model
