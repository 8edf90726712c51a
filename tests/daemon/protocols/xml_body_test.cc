// Edge cases of the XML protocols beyond the conformance suites: bodies that
// are not XML, nesting far deeper than any service sends, values of the
// wrong type, botocore's error-document variants, and arbitrary bytes.

#include "daemon/protocols/xml_body.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/http/http_status.h"
#include "daemon/protocols/ec2_protocol.h"
#include "daemon/protocols/query_protocol.h"
#include "daemon/protocols/rest_xml_protocol.h"
#include "daemon/protocols/xml_errors.h"
#include "gtest/gtest.h"

namespace awsd::protocols {
namespace {

using model::ServiceModel;

// One service per protocol with the same shapes: a recursive structure,
// scalars of every kind, lists and maps (flattened and not), an error.
std::shared_ptr<const ServiceModel> Model(const std::string& protocol, const std::string& service_id = "Test") {
  const nlohmann::json model = nlohmann::json::parse(R"({
    "metadata": {"apiVersion": "2020-01-01", "protocol": "PROTOCOL", "serviceId": "SERVICE_ID",
                 "xmlNamespace": "https://example.com/doc/"},
    "operations": {
      "Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/op"},
             "input": {"shape": "Input", "locationName": "OpRequest",
                       "xmlNamespace": {"uri": "https://example.com/doc/"}},
             "output": {"shape": "Output", "resultWrapper": "OpResult"},
             "errors": [{"shape": "Boom"}]},
      "Bare": {"name": "Bare", "http": {"method": "GET", "requestUri": "/bare"}}
    },
    "shapes": {
      "Input": {"type": "structure", "members": {
        "Name": {"shape": "String"},
        "Count": {"shape": "Integer"},
        "Flag": {"shape": "Boolean"},
        "Ratio": {"shape": "Double"},
        "When": {"shape": "Timestamp"},
        "Data": {"shape": "Blob"},
        "Tags": {"shape": "Strings"},
        "Flat": {"shape": "FlatStrings", "locationName": "Item"},
        "Attrs": {"shape": "StringMap"},
        "Id": {"shape": "String", "locationName": "id", "xmlAttribute": true},
        "Child": {"shape": "Node"},
        "Header": {"shape": "String", "location": "header", "locationName": "x-header"},
        "Token": {"shape": "String", "idempotencyToken": true}
      }},
      "Output": {"type": "structure", "members": {
        "Name": {"shape": "String"},
        "Count": {"shape": "Integer"},
        "Flag": {"shape": "Boolean"},
        "Ratio": {"shape": "Double"},
        "When": {"shape": "Timestamp"},
        "Data": {"shape": "Blob"},
        "Tags": {"shape": "Strings"},
        "Flat": {"shape": "FlatStrings", "locationName": "Item"},
        "Attrs": {"shape": "StringMap"},
        "Id": {"shape": "String", "locationName": "id", "xmlAttribute": true},
        "Child": {"shape": "Node"}
      }},
      "Node": {"type": "structure", "members": {"Value": {"shape": "String"}, "Child": {"shape": "Node"}}},
      "Boom": {"type": "structure", "exception": true, "error": {"code": "Boom", "httpStatusCode": 400},
               "members": {"Detail": {"shape": "String"}, "Count": {"shape": "Integer"}}},
      "Strings": {"type": "list", "member": {"shape": "String"}},
      "FlatStrings": {"type": "list", "member": {"shape": "String"}, "flattened": true},
      "StringMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
      "String": {"type": "string"},
      "Integer": {"type": "integer"},
      "Boolean": {"type": "boolean"},
      "Double": {"type": "double"},
      "Timestamp": {"type": "timestamp"},
      "Blob": {"type": "blob"}
    }
  })");
  nlohmann::json adjusted = model;
  // EC2 documents carry no result wrapper.
  if (protocol == "ec2") adjusted["operations"]["Op"]["output"].erase("resultWrapper");
  std::string text = adjusted.dump();
  text.replace(text.find("PROTOCOL"), 8, protocol);
  text.replace(text.find("SERVICE_ID"), 10, service_id);
  absl::StatusOr<std::shared_ptr<const ServiceModel>> service =
      ServiceModel::FromJson(nlohmann::json::parse(text), "t");
  EXPECT_TRUE(service.ok()) << service.status();
  return *service;
}

http::HttpResponse Response(int status, std::string body, std::vector<http::Header> headers = {}) {
  http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

struct Case {
  std::string name;
  std::shared_ptr<const ServiceModel> service;
  const Protocol* protocol;
};

std::vector<Case> AllProtocols() {
  static const QueryProtocol query;
  static const Ec2Protocol ec2;
  static const RestXmlProtocol rest_xml;
  return {{"query", Model("query"), &query}, {"ec2", Model("ec2"), &ec2}, {"rest-xml", Model("rest-xml"), &rest_xml}};
}

absl::StatusOr<ParsedResponse> ParseWith(const Case& c, const http::HttpResponse& response,
                                         const std::string& operation = "Op") {
  const model::Operation* op = *c.service->FindOperation(operation);
  return c.protocol->Parse(*c.service, *op, response, ParseOptions{});
}

// The success document each protocol expects around `inner`.
std::string Wrap(const std::string& protocol, const std::string& inner) {
  if (protocol == "query") return absl::StrCat("<OpResponse><OpResult>", inner, "</OpResult></OpResponse>");
  return absl::StrCat("<OpResponse>", inner, "</OpResponse>");
}

// ---- Bodies that are not XML ------------------------------------------------

TEST(XmlBodyTest, MalformedSuccessBodiesAreDataLoss) {
  for (const Case& c : AllProtocols()) {
    for (const std::string& body :
         {std::string("<OpResponse><OpResult><Name>x</Name>"), std::string("<OpResponse><Name>x</Nme></OpResponse>"),
          std::string("<a/><b/>"), std::string("<a/>junk"), std::string("not xml at all"),
          std::string("<a>\xff\xfe</a>"), std::string("<a>\x01</a>"), std::string("<a x='1' x='2'/>"),
          std::string("<a"), std::string("<a>&#xD800;</a>"),
          std::string("<OpResponse><OpResult><Name>&nbsp;</Name></OpResult></OpResponse>"),
          std::string("<OpResponse><OpResult><Name>a & b</Name></OpResult></OpResponse>")}) {
      absl::StatusOr<ParsedResponse> parsed = ParseWith(c, Response(200, body));
      ASSERT_FALSE(parsed.ok()) << c.name << ": " << body;
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << c.name << ": " << body;
    }
  }
}

TEST(XmlBodyTest, MalformedErrorBodiesBecomeTheGenericError) {
  for (const Case& c : AllProtocols()) {
    for (int status : {400, 403, 404, 500, 503}) {
      absl::StatusOr<ParsedResponse> parsed = ParseWith(c, Response(status, "<ErrorResponse><Error><Code>Bo"));
      ASSERT_TRUE(parsed.ok()) << c.name << " " << status << ": " << parsed.status();
      EXPECT_TRUE(parsed->is_error);
      EXPECT_EQ(parsed->error_code, std::to_string(status));
      EXPECT_EQ(parsed->result["Error"]["Code"], std::to_string(status)) << c.name;
      EXPECT_EQ(parsed->result["Error"]["Message"], http::HttpReasonPhrase(status)) << c.name;
      EXPECT_EQ(parsed->result["ResponseMetadata"]["HTTPStatusCode"], status);
    }
  }
}

TEST(XmlBodyTest, HtmlAndEmpty5xxAreGenericErrors) {
  for (const Case& c : AllProtocols()) {
    for (const std::string& body : {std::string(""), std::string("  \n"),
                                    std::string("  <html><body><b>Http/1.1 Service Unavailable</b></body></html>")}) {
      absl::StatusOr<ParsedResponse> parsed = ParseWith(c, Response(503, body));
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(parsed->result["Error"], (Value{{"Code", "503"}, {"Message", "Service Unavailable"}})) << c.name;
    }
  }
}

TEST(XmlBodyTest, DocumentAcceptsWhatExpatAccepts) {
  for (const std::string& body :
       {std::string("\xEF\xBB\xBF<a/>"), std::string("<?xml version=\"1.0\"?>\n<a/>\n"),
        std::string("<!-- c & d --><a><!-- c --></a>"), std::string("<a><![CDATA[<x & y>]]></a>"),
        std::string("<a b=\"&amp;&#38;&#x26;\">&lt;&gt;&quot;&apos;</a>")}) {
    EXPECT_TRUE(xml::Document::Parse(body).ok()) << body;
  }
  absl::StatusOr<xml::Document> doc = xml::Document::Parse("<a>x<![CDATA[<y>]]>z<b/>tail</a>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(*xml::Text(doc->root()), "x<y>z");
}

// ---- Nesting ------------------------------------------------------------------

std::string Nested(int depth) {
  std::string body;
  for (int i = 0; i < depth; ++i) body += "<Child><Value>v</Value>";
  for (int i = 0; i < depth; ++i) body += "</Child>";
  return body;
}

TEST(XmlBodyTest, DeepNestingIsRefusedNotRecursed) {
  for (const Case& c : AllProtocols()) {
    absl::StatusOr<ParsedResponse> parsed = ParseWith(c, Response(200, Wrap(c.name, Nested(100000))));
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
    // Error documents are read without a shape; just as bounded.
    absl::StatusOr<ParsedResponse> error =
        ParseWith(c, Response(400, absl::StrCat("<ErrorResponse><Error>", Nested(100000), "</Error></ErrorResponse>")));
    ASSERT_TRUE(error.ok()) << error.status();
    EXPECT_EQ(error->error_code, "400") << c.name;
  }
}

TEST(XmlBodyTest, ReasonableNestingIsRead) {
  for (const Case& c : AllProtocols()) {
    absl::StatusOr<ParsedResponse> parsed = ParseWith(c, Response(200, Wrap(c.name, Nested(30))));
    ASSERT_TRUE(parsed.ok()) << c.name << ": " << parsed.status();
    const Value* node = &parsed->result["Child"];
    for (int i = 1; i < 30; ++i) node = &(*node)["Child"];
    EXPECT_EQ((*node)["Value"], "v");
  }
}

// ---- Values -------------------------------------------------------------------

TEST(XmlBodyTest, ScalarsAreReadAsPythonReadsThem) {
  for (const Case& c : AllProtocols()) {
    absl::StatusOr<ParsedResponse> parsed = ParseWith(
        c, Response(200, Wrap(c.name,
                              "<Name> spaced </Name><Count> -1_000 </Count><Flag>True</Flag>"
                              "<Ratio>-Infinity</Ratio><When>2014-04-29T18:30:38Z</When>"
                              "<Data>aG\nk=</Data><Tags><member>a</member><other>b</other></Tags>"
                              "<Item>x</Item><Item>y</Item><Attrs><entry><key>k</key><value/></entry></Attrs>")));
    ASSERT_TRUE(parsed.ok()) << c.name << ": " << parsed.status();
    const Value& r = parsed->result;
    EXPECT_EQ(r["Name"], " spaced ");
    EXPECT_EQ(r["Count"], -1000);
    EXPECT_EQ(r["Flag"], false);  // only "true" is true
    EXPECT_EQ(r["Ratio"].get<double>(), -HUGE_VAL);
    EXPECT_EQ(r["When"], "2014-04-29T18:30:38+00:00");
    EXPECT_EQ(r["Data"], Value::binary({'h', 'i'}));
    EXPECT_EQ(r["Tags"], (Value{"a", "b"}));  // any child element is an item, as in botocore
    EXPECT_EQ(r["Flat"], (Value{"x", "y"}));
    EXPECT_EQ(r["Attrs"], (Value{{"k", ""}}));
  }
}

TEST(XmlBodyTest, WrongTypesAreDataLoss) {
  for (const Case& c : AllProtocols()) {
    for (const std::string& inner :
         {std::string("<Count>12abc</Count>"), std::string("<Count></Count>"),
          std::string("<Count>99999999999999999999999</Count>"), std::string("<Ratio>0x1p3</Ratio>"),
          std::string("<When>yesterday</When>"), std::string("<Data>abc</Data>"),
          std::string("<Attrs><entry><key>k</key><bogus/></entry></Attrs>"),
          std::string("<Attrs><entry><key>k</key></entry></Attrs>")}) {
      absl::StatusOr<ParsedResponse> parsed = ParseWith(c, Response(200, Wrap(c.name, inner)));
      ASSERT_FALSE(parsed.ok()) << c.name << ": " << inner;
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << c.name << ": " << inner;
    }
  }
}

TEST(XmlBodyTest, AttributesAndNamespacePrefixes) {
  const Case c = AllProtocols()[2];  // rest-xml: the root is the output itself
  absl::StatusOr<ParsedResponse> parsed =
      ParseWith(c, Response(200, "<s:OpResponse xmlns:s=\"urn:s\" id=\"42\"><s:Name>n</s:Name></s:OpResponse>"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->result["Name"], "n");
  EXPECT_EQ(parsed->result["Id"], "42");
}

// ---- Metadata and errors -------------------------------------------------------

TEST(XmlBodyTest, RequestIdsGoToResponseMetadata) {
  const std::vector<Case> cases = AllProtocols();
  absl::StatusOr<ParsedResponse> query = ParseWith(
      cases[0], Response(200,
                         "<OpResponse><OpResult/><ResponseMetadata><RequestId>q-1</RequestId></ResponseMetadata>"
                         "</OpResponse>"));
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->result["ResponseMetadata"]["RequestId"], "q-1");
  EXPECT_EQ(query->result["ResponseMetadata"]["HTTPStatusCode"], 200);

  absl::StatusOr<ParsedResponse> ec2 =
      ParseWith(cases[1], Response(200, "<OpResponse><requestId>e-1</requestId></OpResponse>"));
  ASSERT_TRUE(ec2.ok()) << ec2.status();
  EXPECT_EQ(ec2->result["ResponseMetadata"]["RequestId"], "e-1");

  absl::StatusOr<ParsedResponse> rest = ParseWith(
      cases[2], Response(200, "", {{"x-amz-request-id", "r-1"}, {"x-amz-id-2", "h-1"}, {"X-Header", "v"}}), "Bare");
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->result["ResponseMetadata"]["RequestId"], "r-1");
  EXPECT_EQ(rest->result["ResponseMetadata"]["HostId"], "h-1");
  EXPECT_EQ(rest->result["ResponseMetadata"]["HTTPHeaders"]["x-header"], "v");
}

TEST(XmlBodyTest, QueryAndEc2ErrorsCarryModeledFields) {
  const std::vector<Case> cases = AllProtocols();
  absl::StatusOr<ParsedResponse> query = ParseWith(
      cases[0], Response(400,
                         "<ErrorResponse><Error><Type>Sender</Type><Code>Boom</Code><Message>m</Message>"
                         "<Detail>d</Detail><Count>3</Count></Error><RequestId>q-2</RequestId></ErrorResponse>"));
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->error_code, "Boom");
  EXPECT_EQ(query->result["Error"]["Type"], "Sender");
  EXPECT_EQ(query->result["Error"]["Message"], "m");
  EXPECT_EQ(query->result["Detail"], "d");
  EXPECT_EQ(query->result["Count"], 3);
  EXPECT_EQ(query->result["ResponseMetadata"]["RequestId"], "q-2");

  absl::StatusOr<ParsedResponse> ec2 =
      ParseWith(cases[1], Response(400,
                                   "<Response><Errors><Error><Code>Boom</Code><Message>m</Message><Detail>d</Detail>"
                                   "</Error></Errors><RequestID>e-2</RequestID></Response>"));
  ASSERT_TRUE(ec2.ok()) << ec2.status();
  EXPECT_EQ(ec2->error_code, "Boom");
  EXPECT_EQ(ec2->result["Detail"], "d");
  EXPECT_EQ(ec2->result["ResponseMetadata"]["RequestId"], "e-2");

  // A modeled field of the wrong type leaves the error itself intact.
  absl::StatusOr<ParsedResponse> bad = ParseWith(
      cases[0], Response(400, "<ErrorResponse><Error><Code>Boom</Code><Count>x</Count></Error></ErrorResponse>"));
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_EQ(bad->error_code, "Boom");
  EXPECT_FALSE(bad->result.contains("Count"));
}

TEST(XmlBodyTest, RestXmlErrorForms) {
  const Case c = AllProtocols()[2];
  // S3: a bare <Error>, ids from the headers.
  absl::StatusOr<ParsedResponse> s3 =
      ParseWith(c, Response(404,
                            "<Error><Code>NoSuchKey</Code><Message>gone</Message><Key>k</Key>"
                            "<RequestId>body-id</RequestId><HostId>body-host</HostId></Error>",
                            {{"x-amz-request-id", "r-3"}, {"x-amz-id-2", "h-3"}}));
  ASSERT_TRUE(s3.ok()) << s3.status();
  EXPECT_EQ(s3->result["Error"], (Value{{"Code", "NoSuchKey"}, {"Message", "gone"}, {"Key", "k"}}));
  EXPECT_EQ(s3->result["ResponseMetadata"]["RequestId"], "r-3");
  EXPECT_EQ(s3->result["ResponseMetadata"]["HostId"], "h-3");

  // Route 53 / CloudFront: <ErrorResponse>, Message and Code default to "".
  absl::StatusOr<ParsedResponse> other = ParseWith(
      c, Response(400,
                  "<ErrorResponse xmlns=\"urn:x\"><Error><Type>Sender</Type><Code>Boom</Code><Detail>d</Detail>"
                  "</Error><RequestId>r-4</RequestId></ErrorResponse>"));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->result["Error"], (Value{{"Message", ""}, {"Code", "Boom"}, {"Type", "Sender"}, {"Detail", "d"}}));
  EXPECT_EQ(other->result["Detail"], "d");
  EXPECT_EQ(other->result["ResponseMetadata"]["RequestId"], "r-4");

  // An empty error body: the status and the S3 ids.
  absl::StatusOr<ParsedResponse> empty = ParseWith(c, Response(403, "", {{"x-amz-request-id", "r-5"}}), "Bare");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->result["Error"], (Value{{"Code", "403"}, {"Message", "Forbidden"}}));
  EXPECT_EQ(empty->result["ResponseMetadata"]["RequestId"], "r-5");
  EXPECT_EQ(empty->result["ResponseMetadata"]["HostId"], "");
}

TEST(XmlBodyTest, S3ErrorsInside200AreErrors) {
  static const RestXmlProtocol rest_xml;
  const std::shared_ptr<const ServiceModel> s3 = Model("rest-xml", "S3");
  const model::Operation* op = *s3->FindOperation("Op");
  absl::StatusOr<ParsedResponse> error = rest_xml.Parse(
      *s3, *op, Response(200, "<Error><Code>InternalError</Code><Message>m</Message></Error>"), ParseOptions{});
  ASSERT_TRUE(error.ok()) << error.status();
  EXPECT_TRUE(error->is_error);
  EXPECT_EQ(error->error_code, "InternalError");
  EXPECT_EQ(error->result["ResponseMetadata"]["HTTPStatusCode"], 500);

  absl::StatusOr<ParsedResponse> cut = rest_xml.Parse(*s3, *op, Response(200, "<OpResponse><Na"), ParseOptions{});
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_EQ(cut->error_code, "500");

  // Other services: a 200 is a 200.
  const std::shared_ptr<const ServiceModel> other = Model("rest-xml");
  absl::StatusOr<ParsedResponse> plain = rest_xml.Parse(*other, **other->FindOperation("Op"),
                                                        Response(200, "<Error><Name>n</Name></Error>"), ParseOptions{});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->is_error);
  EXPECT_EQ(plain->result["Name"], "n");
}

// ---- Requests ----------------------------------------------------------------------

TEST(XmlBodyTest, QueryFormBody) {
  static const QueryProtocol query;
  static const Ec2Protocol ec2;
  const Value params = {{"Name", "a b&c=é"},        {"Tags", Value::array()}, {"Flat", {"x"}},
                        {"Flag", "false"},          {"Attrs", {{"k", "v"}}},  {"Ratio", 1.0},
                        {"Child", {{"Value", "~"}}}};
  const std::shared_ptr<const ServiceModel> q = Model("query");
  absl::StatusOr<SerializedRequest> request = query.Serialize(*q, **q->FindOperation("Op"), params, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->body,
            "Action=Op&Version=2020-01-01&Name=a+b%26c%3D%C3%A9&Tags=&Item.1=x&Flag=true"
            "&Attrs.entry.1.key=k&Attrs.entry.1.value=v&Ratio=1.0&Child.Value=~");
  EXPECT_EQ(*request->FindHeader("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");

  const std::shared_ptr<const ServiceModel> e = Model("ec2");
  request = ec2.Serialize(*e, **e->FindOperation("Op"), params, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->body,
            "Action=Op&Version=2020-01-01&Name=a+b%26c%3D%C3%A9&Item.1=x&Flag=true"
            "&Attrs.entry.1.key=k&Attrs.entry.1.value=v&Ratio=1.0&Child.Value=~");

  EXPECT_FALSE(query.Serialize(*q, **q->FindOperation("Op"), Value{{"Nope", 1}}, {}).ok());
  EXPECT_FALSE(query.Serialize(*q, **q->FindOperation("Op"), Value{{"Tags", "notalist"}}, {}).ok());
}

TEST(XmlBodyTest, RestXmlBodyAsElementTreeWritesIt) {
  static const RestXmlProtocol rest_xml;
  const std::shared_ptr<const ServiceModel> service = Model("rest-xml");
  const Value params = {{"Header", "h"},      {"Name", "<&>\"'"},     {"Id", "a\"\n"}, {"Tags", Value::array()},
                        {"Flat", {"x", "y"}}, {"Attrs", {{"k", ""}}}, {"Data", "hi"},  {"Flag", 0}};
  absl::StatusOr<SerializedRequest> request = rest_xml.Serialize(*service, **service->FindOperation("Op"), params, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->body,
            "<OpRequest xmlns=\"https://example.com/doc/\" id=\"a&quot;&#10;\"><Name>&lt;&amp;&gt;\"'</Name><Tags />"
            "<Item>x</Item><Item>y</Item><Attrs><entry><key>k</key><value /></entry></Attrs><Data>aGk=</Data>"
            "<Flag>false</Flag></OpRequest>");
  EXPECT_EQ(*request->FindHeader("x-header"), "h");
  EXPECT_EQ(request->path, "/op");

  // Only location members: no body at all.
  request = rest_xml.Serialize(*service, **service->FindOperation("Op"), Value{{"Header", "h"}}, {});
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->body, "");
}

TEST(XmlBodyTest, S3DeleteObjectsEscapesLineBreaks) {
  static const RestXmlProtocol rest_xml;
  const nlohmann::json model = nlohmann::json::parse(R"({
    "metadata": {"apiVersion": "2006-03-01", "protocol": "rest-xml", "serviceId": "S3"},
    "operations": {"DeleteObjects": {"name": "DeleteObjects", "http": {"method": "POST", "requestUri": "/{Bucket}?delete"},
                                     "input": {"shape": "Input"}}},
    "shapes": {
      "Input": {"type": "structure", "payload": "Delete", "members": {
        "Bucket": {"shape": "String", "location": "uri", "locationName": "Bucket"},
        "Delete": {"shape": "Delete", "locationName": "Delete"}}},
      "Delete": {"type": "structure", "members": {"Key": {"shape": "String"}}},
      "String": {"type": "string"}
    }
  })");
  absl::StatusOr<std::shared_ptr<const ServiceModel>> service = ServiceModel::FromJson(model, "s3");
  ASSERT_TRUE(service.ok()) << service.status();
  absl::StatusOr<SerializedRequest> request =
      rest_xml.Serialize(**service, **(*service)->FindOperation("DeleteObjects"),
                         Value{{"Bucket", "b"}, {"Delete", {{"Key", "a\r\nb"}}}}, {});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->body, "<Delete><Key>a&#xD;&#xA;b</Key></Delete>");
  EXPECT_EQ(RequestTarget(*request), "/b?delete");
}

TEST(XmlBodyTest, IdempotencyTokensFillOnlyWhatIsMissing) {
  SerializeOptions options;
  options.idempotency_token = [] { return std::string("tok"); };
  for (const Case& c : AllProtocols()) {
    const model::Operation& op = **c.service->FindOperation("Op");
    absl::StatusOr<SerializedRequest> filled = c.protocol->Serialize(*c.service, op, Value{{"Name", "n"}}, options);
    ASSERT_TRUE(filled.ok()) << filled.status();
    EXPECT_NE(filled->body.find("tok"), std::string::npos) << c.name << ": " << filled->body;
    absl::StatusOr<SerializedRequest> kept =
        c.protocol->Serialize(*c.service, op, Value{{"Name", "n"}, {"Token", "mine"}}, options);
    ASSERT_TRUE(kept.ok()) << kept.status();
    EXPECT_EQ(kept->body.find("tok"), std::string::npos) << c.name << ": " << kept->body;
    EXPECT_NE(kept->body.find("mine"), std::string::npos) << c.name << ": " << kept->body;
  }
}

TEST(XmlBodyTest, ParametersNestedTooDeeplyAreRefused) {
  Value params = {{"Value", "v"}};
  for (int i = 0; i < 500; ++i) params = Value{{"Child", std::move(params)}};
  for (const Case& c : AllProtocols()) {
    absl::StatusOr<SerializedRequest> request =
        c.protocol->Serialize(*c.service, **c.service->FindOperation("Op"), params, {});
    ASSERT_FALSE(request.ok()) << c.name;
    EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(XmlBodyTest, ScalarText) {
  EXPECT_EQ(xml::FloatText(Value(1)), "1");
  EXPECT_EQ(xml::FloatText(Value(1.5e20)), "1.5e+20");
  EXPECT_EQ(xml::FloatText(Value(std::nan(""))), "NaN");
  EXPECT_EQ(*xml::TimestampText(Value("2014-04-29T18:30:38.5Z"), ""), "2014-04-29T18:30:38.500000Z");
  EXPECT_EQ(*xml::TimestampText(Value(1398796238), "unixTimestamp"), "1398796238");
  EXPECT_EQ(*xml::TimestampText(Value(1398796238), "rfc822"), "Tue, 29 Apr 2014 18:30:38 GMT");
  EXPECT_TRUE(xml::Truthy(Value("false")));
  EXPECT_FALSE(xml::Truthy(Value("")));
}

// ---- Arbitrary bytes ------------------------------------------------------------------

TEST(XmlBodyTest, ArbitraryBytesNeverCrash) {
  const std::vector<Case> cases = AllProtocols();
  const std::string seed = Wrap("query",
                                "<Name>n</Name><Count>1</Count><Tags><member>a</member></Tags><Attrs><entry><key>k"
                                "</key><value>v</value></entry></Attrs><Child><Value>v</Value></Child>") +
                           "<!-- x --><![CDATA[";
  std::mt19937 rng(12345);
  for (int i = 0; i < 3000; ++i) {
    std::string body = seed;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body[at] = static_cast<char>(rng() % 256);
          break;
        case 1:
          body.erase(at, 1 + rng() % 16);
          break;
        default:
          body.insert(at, seed.substr(rng() % seed.size(), rng() % 32));
          break;
      }
    }
    for (const Case& c : cases) {
      for (int status : {200, 400, 500}) {
        absl::StatusOr<ParsedResponse> parsed = ParseWith(c, Response(status, body));
        if (parsed.ok()) {
          EXPECT_NO_THROW((void)parsed->result.dump()) << c.name;
        } else {
          EXPECT_LT(status, 400) << c.name << ": " << parsed.status();
        }
      }
    }
  }
}

}  // namespace
}  // namespace awsd::protocols
