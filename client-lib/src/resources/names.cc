#include "awsd/resources/names.h"

#include "awsd/xform_name.h"

namespace awsd::resources {

bool NameMatches(std::string_view query, std::string_view model_name) {
  return query == model_name || XformName(query) == XformName(model_name);
}

}  // namespace awsd::resources
