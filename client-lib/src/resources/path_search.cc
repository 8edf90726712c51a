#include "awsd/resources/path_search.h"

#include <cctype>
#include <string>

namespace awsd::resources {
namespace {

using nlohmann::json;

Error BadPath(std::string_view path, const std::string& why) {
  Error error;
  error.code = grpc::StatusCode::INVALID_ARGUMENT;
  error.message = "resource model path '" + std::string(path) + "': " + why;
  return error;
}

// A value under evaluation: while `projected`, `value` is the list of items
// the rest of the expression applies to one by one (JMESPath's projection).
struct State {
  json value;
  bool projected = false;
};

class Evaluator {
 public:
  explicit Evaluator(std::string_view path) : path_(path) {}

  Result<json> Run(const json& data) {
    auto state = Pipe(State{data, false});
    if (!state.ok()) return state.error();
    if (pos_ != path_.size()) return BadPath(path_, "unexpected '" + std::string(1, path_[pos_]) + "'");
    return std::move(state->value);
  }

 private:
  // chain ('|' chain)*; a pipe ends a projection.
  Result<State> Pipe(State state) {
    auto out = Chain(std::move(state), /*stop_at_comma=*/false);
    while (out.ok() && Peek() == '|') {
      ++pos_;
      out->projected = false;
      out = Chain(std::move(*out), false);
    }
    return out;
  }

  // element ('.' field | '[' ... ']')*
  Result<State> Chain(State state, bool stop_at_comma) {
    bool first = true;
    while (pos_ < path_.size()) {
      const char c = path_[pos_];
      if (c == '|' || c == ']' || (stop_at_comma && c == ',')) break;
      if (c == '[') {
        auto next = Bracket(std::move(state));
        if (!next.ok()) return next;
        state = std::move(*next);
      } else if (c == '.' && !first) {
        ++pos_;
        if (Peek() == '[') {  // ".[a, b]": a multi-select list
          auto next = Bracket(std::move(state));
          if (!next.ok()) return next;
          state = std::move(*next);
        } else {
          auto name = Field();
          if (!name.ok()) return name.error();
          state = Apply(std::move(state), [&](const json& v) { return Member(v, *name); });
        }
      } else if (first && (c == '@' || c == '$')) {
        ++pos_;  // the current value; boto3's "$" is the whole response
      } else if (first) {
        auto name = Field();
        if (!name.ok()) return name.error();
        state = Apply(std::move(state), [&](const json& v) { return Member(v, *name); });
      } else {
        return BadPath(path_, "unexpected '" + std::string(1, c) + "'");
      }
      first = false;
    }
    return state;
  }

  Result<State> Bracket(State state) {
    ++pos_;               // '['
    if (Peek() == ']') {  // flatten: one level of lists, nulls dropped
      ++pos_;
      if (!state.value.is_array()) return State{json(), false};
      json flat = json::array();
      for (const json& item : state.value) {
        if (item.is_array()) {
          for (const json& inner : item)
            if (!inner.is_null()) flat.push_back(inner);
        } else if (!item.is_null()) {
          flat.push_back(item);
        }
      }
      return State{std::move(flat), true};
    }
    if (Peek() == '*' && pos_ + 1 < path_.size() && path_[pos_ + 1] == ']') {
      pos_ += 2;
      if (state.projected) return state;
      if (!state.value.is_array()) return State{json(), false};
      json items = json::array();
      for (const json& item : state.value)
        if (!item.is_null()) items.push_back(item);
      return State{std::move(items), true};
    }
    if (Peek() == '-' || std::isdigit(static_cast<unsigned char>(Peek()))) {
      const size_t start = pos_;
      if (Peek() == '-') ++pos_;
      while (std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
      const long index = std::stol(std::string(path_.substr(start, pos_ - start)));
      if (Peek() != ']') return BadPath(path_, "expected ']'");
      ++pos_;
      return Apply(std::move(state), [&](const json& v) { return Index(v, index); });
    }
    // A multi-select list: [expr, expr, ...], each evaluated on the value.
    const size_t start = pos_;
    auto select = [&](const json& v) -> Result<json> {
      if (v.is_null()) return json();
      json out = json::array();
      pos_ = start;
      while (true) {
        auto part = Chain(State{v, false}, /*stop_at_comma=*/true);
        if (!part.ok()) return part.error();
        out.push_back(std::move(part->value));
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        if (Peek() != ']') return BadPath(path_, "expected ']'");
        return out;
      }
    };
    size_t end = std::string_view::npos;
    if (state.projected) {
      json items = json::array();
      for (const json& item : state.value) {
        auto one = select(item);
        if (!one.ok()) return one.error();
        end = pos_;
        if (!one->is_null()) items.push_back(std::move(*one));
      }
      if (end == std::string_view::npos) {  // no item: skip the brackets unevaluated
        auto skipped = select(json::object());
        if (!skipped.ok()) return skipped.error();
        end = pos_;
      }
      pos_ = end + 1;
      return State{std::move(items), true};
    }
    auto one = select(state.value);
    if (!one.ok()) return one.error();
    if (state.value.is_null()) {
      auto skipped = select(json::object());
      if (!skipped.ok()) return skipped.error();
    }
    ++pos_;  // ']'
    return State{std::move(*one), false};
  }

  template <typename F>
  static State Apply(State state, F&& f) {
    if (!state.projected) return State{f(state.value), false};
    json out = json::array();
    for (const json& item : state.value) {
      json v = f(item);
      if (!v.is_null()) out.push_back(std::move(v));
    }
    return State{std::move(out), true};
  }

  static json Member(const json& value, const std::string& name) {
    if (!value.is_object()) return json();
    auto it = value.find(name);
    return it == value.end() ? json() : *it;
  }

  static json Index(const json& value, long index) {
    if (!value.is_array()) return json();
    const long size = static_cast<long>(value.size());
    if (index < 0) index += size;
    if (index < 0 || index >= size) return json();
    return value[static_cast<size_t>(index)];
  }

  Result<std::string> Field() {
    const size_t start = pos_;
    while (pos_ < path_.size() &&
           (std::isalnum(static_cast<unsigned char>(path_[pos_])) || path_[pos_] == '_' || path_[pos_] == '-')) {
      ++pos_;
    }
    if (pos_ == start) return BadPath(path_, "expected a field name at " + std::to_string(start));
    return std::string(path_.substr(start, pos_ - start));
  }

  char Peek() const {
    size_t p = pos_;
    return p < path_.size() ? path_[p] : '\0';
  }

  std::string_view path_;
  size_t pos_ = 0;
};

}  // namespace

Result<nlohmann::json> SearchPath(std::string_view path, const nlohmann::json& data) {
  if (path.empty()) return data;
  std::string compact;  // the model's paths have no meaningful spaces
  for (char c : path)
    if (c != ' ') compact.push_back(c);
  return Evaluator(compact).Run(data);
}

}  // namespace awsd::resources
