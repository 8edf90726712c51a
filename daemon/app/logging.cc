#include "daemon/app/logging.h"

#include <spdlog/async.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <ctime>

namespace awsd::app {
namespace {

// One JSON object per line; the message is escaped by nlohmann::json so no
// log text can break the line structure.
class JsonLineFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()).count();
    std::time_t seconds = std::chrono::system_clock::to_time_t(msg.time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &utc);
    nlohmann::ordered_json line = {
        {"time", fmt::format("{}.{:06d}Z", stamp, micros % 1000000)},
        {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                              spdlog::level::to_string_view(msg.level).size())},
        {"message", std::string(msg.payload.data(), msg.payload.size())},
    };
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLineFormatter>(); }
};

}  // namespace

absl::Status ConfigureLogging(const LoggingOptions& options) {
  auto level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") {
    return absl::InvalidArgumentError("log level '" + options.level + "' is not trace|debug|info|warn|error");
  }
  spdlog::sink_ptr sink;
  try {
    if (options.file) {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(*options.file);
    } else {
      sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    }
  } catch (const spdlog::spdlog_ex& e) {
    return absl::FailedPreconditionError(std::string("log file: ") + e.what());
  }
  if (options.json) {
    sink->set_formatter(std::make_unique<JsonLineFormatter>());
  } else {
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%fZ %l %v",
                                                                    spdlog::pattern_time_type::utc));
  }
  if (!spdlog::thread_pool()) spdlog::init_thread_pool(8192, 1);
  auto logger = std::make_shared<spdlog::async_logger>("awsd", sink, spdlog::thread_pool(),
                                                       spdlog::async_overflow_policy::block);
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  spdlog::flush_every(std::chrono::seconds(1));
  return absl::OkStatus();
}

void ShutdownLogging() {
  if (auto logger = spdlog::default_logger()) logger->flush();
  spdlog::shutdown();
}

}  // namespace awsd::app
