#include "daemon/metrics/text_exposition.h"

#include <gtest/gtest.h>

#include <limits>

#include "daemon/metrics/registry.h"

namespace awsd::metrics {
namespace {

TEST(TextExpositionTest, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)"
                             "\nd"),
            R"(a\\b\"c\nd)");
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
  // Well-formed UTF-8 passes; any other byte becomes U+FFFD, so a client's
  // odd service name cannot spoil the scrape.
  EXPECT_EQ(EscapeLabelValue("caf\xC3\xA9 \xF0\x9F\x94\x91"), "caf\xC3\xA9 \xF0\x9F\x94\x91");
  EXPECT_EQ(EscapeLabelValue(std::string("a\xFF") + "b"), std::string("a\xEF\xBF\xBD") + "b");
  EXPECT_EQ(EscapeLabelValue("\xC3"), "\xEF\xBF\xBD");
  EXPECT_EQ(EscapeLabelValue("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // Quotes need no escaping in help text.
  EXPECT_EQ(EscapeHelp("say \"hi\" \\ then\nmore"), "say \"hi\" \\\\ then\\nmore");
}

TEST(TextExpositionTest, FormatsValuesAsPrometheusReadsThem) {
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(0.0001), "0.0001");
  EXPECT_EQ(FormatValue(-1.5), "-1.5");
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(1000000), "1000000");
  EXPECT_EQ(FormatValue(1e-9), "1e-09");
  EXPECT_EQ(FormatValue(1e20), "1e+20");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(TextExpositionTest, ValidatesNames) {
  EXPECT_TRUE(IsValidMetricName("awsd_calls_total"));
  EXPECT_TRUE(IsValidMetricName("ns:sub_total"));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_TRUE(IsValidLabelName("service"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
}

TEST(TextExpositionTest, CountersAndGaugesRenderExactly) {
  Registry registry;
  auto& calls = registry.AddCounter("test_calls_total", "Calls made.\nSecond line.", {"service", "code"});
  calls.With({"s3", "OK"}).Increment(2);
  calls.With({"sts", "PERMISSION_DENIED"}).Increment();
  calls.With({"a\"b\\c\nd", "OK"}).Increment(7);
  auto& tokens = registry.AddGauge("test_tokens", "Tokens left.", {});
  tokens.With({}).Set(497.5);
  EXPECT_EQ(registry.Render(),
            "# HELP test_calls_total Calls made.\\nSecond line.\n"
            "# TYPE test_calls_total counter\n"
            "test_calls_total{service=\"a\\\"b\\\\c\\nd\",code=\"OK\"} 7\n"
            "test_calls_total{service=\"s3\",code=\"OK\"} 2\n"
            "test_calls_total{service=\"sts\",code=\"PERMISSION_DENIED\"} 1\n"
            "# HELP test_tokens Tokens left.\n"
            "# TYPE test_tokens gauge\n"
            "test_tokens 497.5\n");
}

TEST(TextExpositionTest, HistogramsRenderCumulativeBucketsSumAndCount) {
  Registry registry;
  const double bounds[] = {0.001, 0.01, 1};
  auto& latency = registry.AddHistogram("test_seconds", "Latency.", {"rpc"}, bounds);
  auto& sign = latency.With({"Sign"});
  sign.Observe(0.0005);
  sign.Observe(0.001);  // on the bound: counted in it (le)
  sign.Observe(0.5);
  sign.Observe(30);
  EXPECT_EQ(registry.Render(),
            "# HELP test_seconds Latency.\n"
            "# TYPE test_seconds histogram\n"
            "test_seconds_bucket{rpc=\"Sign\",le=\"0.001\"} 2\n"
            "test_seconds_bucket{rpc=\"Sign\",le=\"0.01\"} 2\n"
            "test_seconds_bucket{rpc=\"Sign\",le=\"1\"} 3\n"
            "test_seconds_bucket{rpc=\"Sign\",le=\"+Inf\"} 4\n"
            "test_seconds_sum{rpc=\"Sign\"} " +
                FormatValue(0.0005 + 0.001 + 0.5 + 30) +
                "\n"
                "test_seconds_count{rpc=\"Sign\"} 4\n");
}

TEST(TextExpositionTest, UnlabelledHistogramHasOnlyLe) {
  FamilySnapshot family;
  family.name = "h";
  family.help = "H.";
  family.kind = MetricKind::kHistogram;
  family.bounds = {1};
  SeriesSnapshot series;
  series.histogram.cumulative = {1, 2};
  series.histogram.count = 2;
  series.histogram.sum = 3;
  family.series.push_back(series);
  EXPECT_EQ(RenderText({family}),
            "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n");
}

TEST(TextExpositionTest, AnEmptyFamilyStillDeclaresItself) {
  Registry registry;
  registry.AddCounter("test_total", "Nothing yet.", {"a"});
  EXPECT_EQ(registry.Render(), "# HELP test_total Nothing yet.\n# TYPE test_total counter\n");
}

}  // namespace
}  // namespace awsd::metrics
