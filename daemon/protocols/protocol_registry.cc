#include "daemon/protocols/ec2_protocol.h"
#include "daemon/protocols/json_protocol.h"
#include "daemon/protocols/protocol.h"
#include "daemon/protocols/query_protocol.h"
#include "daemon/protocols/rest_json_protocol.h"
#include "daemon/protocols/rest_xml_protocol.h"
#include "daemon/protocols/rpc_v2_cbor_protocol.h"

namespace awsd::protocols {

const Protocol& ProtocolFor(model::Protocol protocol) {
  // Stateless and immutable: one instance each for the whole process.
  static const QueryProtocol query;
  static const Ec2Protocol ec2;
  static const JsonProtocol json;
  static const RestJsonProtocol rest_json;
  static const RestXmlProtocol rest_xml;
  static const RpcV2CborProtocol rpc_v2_cbor;
  switch (protocol) {
    case model::Protocol::kQuery:
      return query;
    case model::Protocol::kEc2:
      return ec2;
    case model::Protocol::kJson:
      return json;
    case model::Protocol::kRestJson:
      return rest_json;
    case model::Protocol::kRestXml:
      return rest_xml;
    case model::Protocol::kRpcV2Cbor:
      return rpc_v2_cbor;
  }
  return json;
}

}  // namespace awsd::protocols
