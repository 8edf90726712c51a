// Timestamp parsing (daemon/protocols/timestamps): every form botocore
// accepts, then each output format, and the round trip a parsed time must
// survive when the daemon writes it back into a request.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "daemon/protocols/timestamps.h"

using awsd::protocols::Timestamp;

namespace {

// Years 1..9999 are what Python's datetime (and so botocore) can print; the
// round trip is only promised there.
constexpr std::int64_t kMinMicros = -62135596800LL * 1000000;  // 0001-01-01
constexpr std::int64_t kMaxMicros = 253402300799LL * 1000000;  // 9999-12-31T23:59:59

void CheckRoundTrip(Timestamp t) {
  if (t.micros < kMinMicros || t.micros > kMaxMicros) return;
  const std::string iso = awsd::protocols::FormatIso8601(t);
  auto again = awsd::protocols::ParseTimestamp(iso);
  if (!again.ok() || !(*again == t)) {
    std::fprintf(stderr, "ISO 8601 round trip failed: %lld -> %s\n", static_cast<long long>(t.micros), iso.c_str());
    __builtin_trap();
  }
  const std::string rfc = awsd::protocols::FormatRfc822(t);
  auto from_rfc = awsd::protocols::ParseTimestamp(rfc);
  if (!from_rfc.ok() || from_rfc->seconds() != t.seconds()) {
    std::fprintf(stderr, "RFC 822 round trip failed: %lld -> %s\n", static_cast<long long>(t.micros), rfc.c_str());
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const bool as_number = input.ConsumeBool();
  const auto output = static_cast<awsd::protocols::TimestampOutput>(input.ConsumeIntegralInRange<int>(0, 2));
  if (as_number) {
    // Epoch seconds as a JSON number, the way parameters and JSON bodies carry them.
    const awsd::protocols::Value value = input.ConsumeBool()
                                             ? awsd::protocols::Value(input.ConsumeIntegral<std::int64_t>())
                                             : awsd::protocols::Value(input.ConsumeFloatingPoint<double>());
    auto t = awsd::protocols::TimestampFromJson(value);
    if (t.ok()) {
      (void)awsd::protocols::TimestampResult(*t, value, output);
      CheckRoundTrip(*t);
    }
    return 0;
  }
  const std::string text = input.ConsumeRemainingBytesAsString();
  auto t = awsd::protocols::ParseTimestamp(text);
  if (!t.ok()) return 0;
  (void)t->microsecond();
  (void)awsd::protocols::FormatIso8601(*t, /*milliseconds=*/true);
  (void)awsd::protocols::FormatEpochSeconds(*t, /*milliseconds=*/true);
  (void)awsd::protocols::TimestampResult(*t, awsd::protocols::Value(text), output);
  CheckRoundTrip(*t);
  return 0;
}
