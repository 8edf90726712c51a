#pragma once

#include "daemon/common/secret.h"
#include "nlohmann/json.hpp"

namespace awsd::credentials {

// Wipes every string in a parsed JSON document that held credentials or
// tokens (see WipeString).
// Works for nlohmann::json and nlohmann::ordered_json alike.
template <typename JsonValue>
void WipeJson(JsonValue& value) {
  if (value.is_string()) {
    WipeString(value.template get_ref<std::string&>());
  } else if (value.is_structured()) {
    for (auto& element : value) WipeJson(element);
  }
}

}  // namespace awsd::credentials
