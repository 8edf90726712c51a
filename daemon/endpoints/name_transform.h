#pragma once

// botocore.xform_name: "DisableMultiRegionAccessPoints" ->
// "disable_multi_region_access_points". The rules engine names its functions
// with it ("isSet" -> is_set), and client context parameters are looked up in
// the client configuration under it ("ForcePathStyle" -> force_path_style).

#include <string>
#include <string_view>

namespace awsd::endpoints {

// Names already holding `separator` come back unchanged, as in botocore.
// botocore's table of hand-made exceptions ("CreateCachediSCSIVolume") holds
// operation names only, none of which name a parameter or a function, so it
// is not repeated here.
std::string XformName(std::string_view name, char separator = '_');

}  // namespace awsd::endpoints
