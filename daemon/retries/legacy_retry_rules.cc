#include "daemon/retries/legacy_retry_rules.h"

#include <cmath>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "daemon/retries/retryable_errors.h"

namespace awsd::retries {
namespace {

// botocore 1.43.11's data/_retry.json, verbatim but for whitespace.
constexpr char kBuiltinRetryJson[] = R"json({
 "definitions": {
  "throttling": {
   "applies_when": {
    "response": {
     "service_error_code": "Throttling",
     "http_status_code": 400
    }
   }
  },
  "throttling_exception": {
   "applies_when": {
    "response": {
     "service_error_code": "ThrottlingException",
     "http_status_code": 400
    }
   }
  },
  "throttled_exception": {
   "applies_when": {
    "response": {
     "service_error_code": "ThrottledException",
     "http_status_code": 400
    }
   }
  },
  "request_throttled_exception": {
   "applies_when": {
    "response": {
     "service_error_code": "RequestThrottledException",
     "http_status_code": 400
    }
   }
  },
  "too_many_requests": {
   "applies_when": {
    "response": {
     "http_status_code": 429
    }
   }
  },
  "general_socket_errors": {
   "applies_when": {
    "socket_errors": [
     "GENERAL_CONNECTION_ERROR"
    ]
   }
  },
  "general_server_error": {
   "applies_when": {
    "response": {
     "http_status_code": 500
    }
   }
  },
  "bad_gateway": {
   "applies_when": {
    "response": {
     "http_status_code": 502
    }
   }
  },
  "service_unavailable": {
   "applies_when": {
    "response": {
     "http_status_code": 503
    }
   }
  },
  "gateway_timeout": {
   "applies_when": {
    "response": {
     "http_status_code": 504
    }
   }
  },
  "limit_exceeded": {
   "applies_when": {
    "response": {
     "http_status_code": 509
    }
   }
  },
  "throughput_exceeded": {
   "applies_when": {
    "response": {
     "service_error_code": "ProvisionedThroughputExceededException",
     "http_status_code": 400
    }
   }
  }
 },
 "retry": {
  "__default__": {
   "max_attempts": 5,
   "delay": {
    "type": "exponential",
    "base": "rand",
    "growth_factor": 2
   },
   "policies": {
    "general_socket_errors": {
     "$ref": "general_socket_errors"
    },
    "general_server_error": {
     "$ref": "general_server_error"
    },
    "bad_gateway": {
     "$ref": "bad_gateway"
    },
    "service_unavailable": {
     "$ref": "service_unavailable"
    },
    "gateway_timeout": {
     "$ref": "gateway_timeout"
    },
    "limit_exceeded": {
     "$ref": "limit_exceeded"
    },
    "throttling_exception": {
     "$ref": "throttling_exception"
    },
    "throttled_exception": {
     "$ref": "throttled_exception"
    },
    "request_throttled_exception": {
     "$ref": "request_throttled_exception"
    },
    "throttling": {
     "$ref": "throttling"
    },
    "too_many_requests": {
     "$ref": "too_many_requests"
    },
    "throughput_exceeded": {
     "$ref": "throughput_exceeded"
    }
   }
  },
  "organizations": {
   "__default__": {
    "policies": {
     "too_many_requests": {
      "applies_when": {
       "response": {
        "service_error_code": "TooManyRequestsException",
        "http_status_code": 400
       }
      }
     }
    }
   }
  },
  "dynamodb": {
   "__default__": {
    "max_attempts": 10,
    "delay": {
     "type": "exponential",
     "base": 0.05,
     "growth_factor": 2
    },
    "policies": {
     "write_conflict": {
      "applies_when": {
       "response": {
        "service_error_code": "ReplicatedWriteConflictException",
        "http_status_code": 409
       }
      }
     },
     "still_processing": {
      "applies_when": {
       "response": {
        "service_error_code": "TransactionInProgressException",
        "http_status_code": 400
       }
      }
     },
     "crc32": {
      "applies_when": {
       "response": {
        "crc32body": "x-amz-crc32"
       }
      }
     }
    }
   }
  },
  "ec2": {
   "__default__": {
    "policies": {
     "request_limit_exceeded": {
      "applies_when": {
       "response": {
        "service_error_code": "RequestLimitExceeded",
        "http_status_code": 503
       }
      }
     },
     "ec2_throttled_exception": {
      "applies_when": {
       "response": {
        "service_error_code": "EC2ThrottledException",
        "http_status_code": 503
       }
      }
     }
    }
   }
  },
  "cloudsearch": {
   "__default__": {
    "policies": {
     "request_limit_exceeded": {
      "applies_when": {
       "response": {
        "service_error_code": "BandwidthLimitExceeded",
        "http_status_code": 509
       }
      }
     }
    }
   }
  },
  "kinesis": {
   "__default__": {
    "policies": {
     "request_limit_exceeded": {
      "applies_when": {
       "response": {
        "service_error_code": "LimitExceededException",
        "http_status_code": 400
       }
      }
     }
    }
   }
  },
  "sqs": {
   "__default__": {
    "policies": {
     "request_limit_exceeded": {
      "applies_when": {
       "response": {
        "service_error_code": "RequestThrottled",
        "http_status_code": 403
       }
      }
     }
    }
   }
  },
  "s3": {
   "__default__": {
    "policies": {
     "timeouts": {
      "applies_when": {
       "response": {
        "http_status_code": 400,
        "service_error_code": "RequestTimeout"
       }
      }
     },
     "contentmd5": {
      "applies_when": {
       "response": {
        "http_status_code": 400,
        "service_error_code": "BadDigest"
       }
      }
     }
    }
   }
  },
  "glacier": {
   "__default__": {
    "policies": {
     "timeouts": {
      "applies_when": {
       "response": {
        "http_status_code": 408,
        "service_error_code": "RequestTimeoutException"
       }
      }
     }
    }
   }
  },
  "route53": {
   "__default__": {
    "policies": {
     "request_limit_exceeded": {
      "applies_when": {
       "response": {
        "service_error_code": "Throttling",
        "http_status_code": 400
       }
      }
     },
     "still_processing": {
      "applies_when": {
       "response": {
        "service_error_code": "PriorRequestNotComplete",
        "http_status_code": 400
       }
      }
     }
    }
   }
  },
  "sts": {
   "__default__": {
    "policies": {
     "idp_unreachable_error": {
      "applies_when": {
       "response": {
        "service_error_code": "IDPCommunicationError",
        "http_status_code": 400
       }
      }
     }
    }
   }
  }
 }
})json";

// translate.resolve_references: a {"$ref": name} object is replaced by the
// definition, recursively.
absl::Status ResolveReferences(nlohmann::json& config, const nlohmann::json& definitions) {
  if (!config.is_object()) return absl::OkStatus();
  for (auto& [key, value] : config.items()) {
    if (!value.is_object()) continue;
    if (value.size() == 1 && value.contains("$ref")) {
      const nlohmann::json& name = value["$ref"];
      if (!name.is_string() || !definitions.contains(name.get<std::string>())) {
        return absl::InvalidArgumentError(absl::StrCat("_retry.json: unknown $ref ", name.dump()));
      }
      value = definitions[name.get<std::string>()];
    } else {
      absl::Status status = ResolveReferences(value, definitions);
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

// utils.merge_dicts: objects merge key by key, anything else replaces.
void MergeDicts(nlohmann::json& into, const nlohmann::json& from) {
  for (const auto& [key, value] : from.items()) {
    if (value.is_object() && into.contains(key) && into[key].is_object()) {
      MergeDicts(into[key], value);
    } else {
      into[key] = value;
    }
  }
}

absl::StatusOr<LegacyPolicy> ParsePolicy(const std::string& name, const nlohmann::json& config) {
  LegacyPolicy policy;
  policy.name = name;
  const auto invalid = [&name](std::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("_retry.json: policy \"", name, "\": ", std::string(what)));
  };
  if (!config.is_object() || !config.contains("applies_when") || !config["applies_when"].is_object()) {
    return invalid("no applies_when");
  }
  const nlohmann::json& applies_when = config["applies_when"];
  if (applies_when.contains("response")) {
    const nlohmann::json& response = applies_when["response"];
    if (!response.is_object()) return invalid("response is not an object");
    if (response.contains("service_error_code") || response.contains("http_status_code")) {
      if (!response.contains("http_status_code") || !response["http_status_code"].is_number_integer()) {
        return invalid("http_status_code is not an integer");
      }
      policy.http_status = response["http_status_code"].get<int>();
      if (response.contains("service_error_code")) {
        if (!response["service_error_code"].is_string()) return invalid("service_error_code is not a string");
        policy.error_code = response["service_error_code"].get<std::string>();
      }
    } else if (response.contains("crc32body") && response["crc32body"].is_string()) {
      policy.crc32_header = response["crc32body"].get<std::string>();
    } else {
      return invalid("Unknown retry policy");
    }
  } else if (applies_when.contains("socket_errors")) {
    const nlohmann::json& errors = applies_when["socket_errors"];
    if (!errors.is_array()) return invalid("socket_errors is not a list");
    for (const nlohmann::json& error : errors) {
      // retryhandler.EXCEPTION_MAP has no other key.
      if (error != "GENERAL_CONNECTION_ERROR") return invalid(absl::StrCat("unknown socket error ", error.dump()));
    }
    policy.socket_errors = true;
  } else {
    return invalid("applies_when has neither response nor socket_errors");
  }
  return policy;
}

}  // namespace

const nlohmann::json& LegacyRetryRules::BuiltinDocument() {
  static const nlohmann::json* const document = new nlohmann::json(nlohmann::json::parse(kBuiltinRetryJson));
  return *document;
}

LegacyRetryRules LegacyRetryRules::Builtin(std::string_view service) {
  // The built-in document is known to be valid.
  return *FromJson(BuiltinDocument(), service);
}

absl::StatusOr<LegacyRetryRules> LegacyRetryRules::FromJson(const nlohmann::json& document, std::string_view service) {
  if (!document.is_object()) return absl::InvalidArgumentError("_retry.json: not an object");
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& retry = document.contains("retry") ? document["retry"] : empty;
  const nlohmann::json& definitions = document.contains("definitions") ? document["definitions"] : empty;
  if (!retry.is_object() || !definitions.is_object()) {
    return absl::InvalidArgumentError("_retry.json: \"retry\" and \"definitions\" must be objects");
  }

  nlohmann::json merged = nlohmann::json::object();
  merged["__default__"] = retry.contains("__default__") ? retry["__default__"] : empty;
  if (absl::Status status = ResolveReferences(merged, definitions); !status.ok()) return status;
  const std::string service_name(service);
  if (retry.contains(service_name)) {
    nlohmann::json service_config = retry[service_name];
    if (absl::Status status = ResolveReferences(service_config, definitions); !status.ok()) return status;
    if (service_config.is_object()) MergeDicts(merged, service_config);
  }

  const nlohmann::json& defaults = merged["__default__"];
  if (!defaults.is_object()) return absl::InvalidArgumentError("_retry.json: __default__ is not an object");
  LegacyRetryRules rules;
  if (!defaults.contains("max_attempts") || !defaults["max_attempts"].is_number_integer()) {
    return absl::InvalidArgumentError("_retry.json: __default__.max_attempts is not an integer");
  }
  rules.max_attempts_ = defaults["max_attempts"].get<int>();

  const nlohmann::json& delay = defaults.contains("delay") ? defaults["delay"] : empty;
  if (delay.value("type", "") != "exponential") {
    return absl::InvalidArgumentError("_retry.json: the delay type must be \"exponential\"");
  }
  if (!delay.contains("growth_factor") || !delay["growth_factor"].is_number()) {
    return absl::InvalidArgumentError("_retry.json: delay.growth_factor is not a number");
  }
  rules.growth_factor_ = delay["growth_factor"].get<double>();
  const nlohmann::json base = delay.contains("base") ? delay["base"] : nlohmann::json();
  if (base == "rand") {
    rules.base_is_random_ = true;
  } else if (base.is_number() && base.get<double>() > 0) {
    rules.base_is_random_ = false;
    rules.base_ = base.get<double>();
  } else {
    // delay_exponential's ValueError, raised here rather than on the first retry.
    return absl::InvalidArgumentError(
        absl::StrCat("_retry.json: The 'base' param must be greater than 0, got: ", base.dump()));
  }

  bool has_socket_policy = false;
  if (defaults.contains("policies")) {
    if (!defaults["policies"].is_object()) return absl::InvalidArgumentError("_retry.json: policies is not an object");
    for (const auto& [name, config] : defaults["policies"].items()) {
      absl::StatusOr<LegacyPolicy> policy = ParsePolicy(name, config);
      if (!policy.ok()) return policy.status();
      has_socket_policy = has_socket_policy || policy->socket_errors;
      rules.policies_.push_back(*std::move(policy));
    }
  }
  rules.catches_socket_errors_ = has_socket_policy && rules.policies_.size() != 1;
  return rules;
}

const LegacyPolicy* LegacyRetryRules::Match(const AttemptResult& result) const {
  if (!result.transport.ok()) {
    if (!catches_socket_errors_ || !IsRetryableTransportError(result.transport)) return nullptr;
    for (const LegacyPolicy& policy : policies_) {
      if (policy.socket_errors) return &policy;
    }
    return nullptr;
  }
  for (const LegacyPolicy& policy : policies_) {
    if (!policy.http_status.has_value() || *policy.http_status != result.http_status) continue;
    if (policy.error_code.has_value() && *policy.error_code != result.error_code) continue;
    return &policy;
  }
  return nullptr;
}

double LegacyRetryRules::DelaySeconds(int attempts, double random) const {
  const double base = base_is_random_ ? random : base_;
  return base * std::pow(growth_factor_, attempts - 1);
}

}  // namespace awsd::retries
