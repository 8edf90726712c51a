#pragma once

namespace awsd::model {

// botocore's ExtrasProcessor: an sdk-extras file's "merge" object laid over a
// model; objects merge recursively, anything else replaces. For nlohmann's
// json and ordered_json alike.
template <typename Json>
void MergeExtras(Json& target, const Json& extra) {
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    Json& slot = target[it.key()];
    if (slot.is_object() && it->is_object()) {
      MergeExtras(slot, *it);
    } else {
      slot = *it;
    }
  }
}

}  // namespace awsd::model
