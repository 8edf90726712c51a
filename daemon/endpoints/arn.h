#pragma once

// ARNs as the rule sets' aws.parseArn reads them (botocore's ArnParser plus
// the checks of RuleSetStandardLibrary.aws_parse_arn).

#include <optional>
#include <string_view>
#include <vector>

namespace awsd::endpoints {

struct Arn {
  std::string_view partition;
  std::string_view service;
  std::string_view region;
  std::string_view account_id;
  // The resource split on both ':' and '/': "accesspoint:ap/x" is
  // {"accesspoint", "ap", "x"}. Views into the parsed text.
  std::vector<std::string_view> resource_id;
};

// "arn:<partition>:<service>:<region>:<account>:<resource>" with a non-empty
// partition, service and resource (the resource keeps any further ':').
// nullopt for anything else, as aws.parseArn returns None.
std::optional<Arn> ParseArn(std::string_view text);

// utils.ArnParser.is_arn: starts with "arn:" and has six ':'-separated parts,
// empty parts allowed.
bool LooksLikeArn(std::string_view text);

}  // namespace awsd::endpoints
