#include "daemon/protocols/result_json.h"

#include "daemon/protocols/result_writer.h"
#include "gtest/gtest.h"

namespace awsd::protocols {
namespace {

TEST(ResultJsonTest, BlobsBecomeBase64AndRetryAttemptsAreSet) {
  Value result = {{"Body", Value::binary({'h', 'i', 0xff})},
                  {"Items", {{{"B", Value::binary({})}}}},
                  {"ResponseMetadata", {{"HTTPStatusCode", 200}}}};
  const Value out = Value::parse(ClientResultJson(result, 2));
  EXPECT_EQ(out["Body"], "aGn/");
  EXPECT_EQ(out["Items"][0]["B"], "");
  EXPECT_EQ(out["ResponseMetadata"]["RetryAttempts"], 2);
  EXPECT_EQ(out["ResponseMetadata"]["HTTPStatusCode"], 200);
}

TEST(ResultJsonTest, TextIsValidJsonAndUtf8) {
  EXPECT_EQ(
      ClientResultJson(Value{{"S", "caf\xc3\xa9 \xff \"q\" \\ \n \x01"}}, 0),
      "{\"S\":\"caf\xc3\xa9 \xef\xbf\xbd \\\"q\\\" \\\\ \\n \\u0001\",\"ResponseMetadata\":{\"RetryAttempts\":0}}");
  // An overlong encoding and a lone surrogate are not UTF-8 either.
  EXPECT_EQ(ClientResultJson(Value{{"S", "\xc0\xaf\xed\xa0\x80"}}, 0).substr(0, 12),
            "{\"S\":\"\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(ResultWriterTest, TextAndValueWritersAgree) {
  const Value value =
      Value::parse(R"({"a": [1, -2, 3.5, true, null, "x"], "b": {"c": 18446744073709551615}, "d": 1.0})");
  JsonTextWriter text;
  text.Write(value);
  EXPECT_EQ(text.text(), R"({"a":[1,-2,3.5,true,null,"x"],"b":{"c":18446744073709551615},"d":1.0})");
  ValueWriter tree;
  tree.Write(value);
  EXPECT_EQ(tree.Take(), value);
  ValueWriter repeated;
  repeated.BeginObject();
  repeated.Key("k");
  repeated.Int(1);
  repeated.Key("k");
  repeated.Int(2);  // a Python dict keeps the last
  repeated.EndObject();
  EXPECT_EQ(repeated.Take(), (Value{{"k", 2}}));
  JsonTextWriter special;
  special.Double(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(special.text(), "null");
}

}  // namespace
}  // namespace awsd::protocols
