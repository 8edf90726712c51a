#include "awsd/xform_name.h"

#include <array>
#include <utility>

namespace awsd {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// botocore's _xform_cache, prepopulated with names its rules get wrong.
constexpr std::array<std::pair<std::string_view, std::string_view>, 29> kSpecialCases = {{
    {"CreateCachediSCSIVolume", "create-cached-iscsi-volume"},
    {"DescribeCachediSCSIVolumes", "describe-cached-iscsi-volumes"},
    {"DescribeStorediSCSIVolumes", "describe-stored-iscsi-volumes"},
    {"CreateStorediSCSIVolume", "create-stored-iscsi-volume"},
    {"ListHITsForQualificationType", "list-hits-for-qualification-type"},
    {"ExecutePartiQLStatement", "execute-partiql-statement"},
    {"ExecutePartiQLTransaction", "execute-partiql-transaction"},
    {"ExecutePartiQLBatch", "execute-partiql-batch"},
    {"AssociateWhatsAppBusinessAccount", "associate-whatsapp-business-account"},
    {"CreateWhatsAppMessageTemplate", "create-whatsapp-message-template"},
    {"CreateWhatsAppMessageTemplateFromLibrary", "create-whatsapp-message-template-from-library"},
    {"CreateWhatsAppMessageTemplateMedia", "create-whatsapp-message-template-media"},
    {"DeleteWhatsAppMessageMedia", "delete-whatsapp-message-media"},
    {"DeleteWhatsAppMessageTemplate", "delete-whatsapp-message-template"},
    {"DisassociateWhatsAppBusinessAccount", "disassociate-whatsapp-business-account"},
    {"GetLinkedWhatsAppBusinessAccount", "get-linked-whatsapp-business-account"},
    {"GetLinkedWhatsAppBusinessAccountPhoneNumber", "get-linked-whatsapp-business-account-phone-number"},
    {"GetOTelEnrichment", "get-otel-enrichment"},
    {"GetWhatsAppMessageMedia", "get-whatsapp-message-media"},
    {"GetWhatsAppMessageTemplate", "get-whatsapp-message-template"},
    {"ListLinkedWhatsAppBusinessAccounts", "list-linked-whatsapp-business-accounts"},
    {"ListWhatsAppMessageTemplates", "list-whatsapp-message-templates"},
    {"ListWhatsAppTemplateLibrary", "list-whatsapp-template-library"},
    {"PostWhatsAppMessageMedia", "post-whatsapp-message-media"},
    {"PutWhatsAppBusinessAccountEventDestinations", "put-whatsapp-business-account-event-destinations"},
    {"SendWhatsAppMessage", "send-whatsapp-message"},
    {"StartOTelEnrichment", "start-otel-enrichment"},
    {"StopOTelEnrichment", "stop-otel-enrichment"},
    {"UpdateWhatsAppMessageTemplate", "update-whatsapp-message-template"},
}};

// re.sub('(.)([A-Z][a-z]+)', r'\1' + sep + r'\2', s): matches scan left to
// right without overlapping.
std::string SubFirstCap(const std::string& s, char sep) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '\n' && i + 2 < s.size() && IsUpper(s[i + 1]) && IsLower(s[i + 2])) {
      std::size_t end = i + 3;
      while (end < s.size() && IsLower(s[end])) ++end;
      out += s[i];
      out += sep;
      out.append(s, i + 1, end - i - 1);
      i = end;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// re.sub('([a-z0-9])([A-Z])', r'\1' + sep + r'\2', s).
std::string SubEndCap(const std::string& s, char sep) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && (IsLower(s[i]) || IsDigit(s[i])) && IsUpper(s[i + 1])) {
      out += s[i];
      out += sep;
      out += s[i + 1];
      i += 2;
    } else {
      out += s[i++];
    }
  }
  return out;
}

}  // namespace

std::string XformName(std::string_view name, char sep) {
  if (name.find(sep) != std::string_view::npos) return std::string(name);
  for (const auto& [from, to] : kSpecialCases) {
    if (from != name) continue;
    std::string special(to);
    for (char& c : special) c = c == '-' ? sep : c;
    return special;
  }
  std::string work(name);
  // '[A-Z]{2,}s$': "ListARNs" -> "List-arns".
  if (!work.empty() && work.back() == 's') {
    std::size_t start = work.size() - 1;
    while (start > 0 && IsUpper(work[start - 1])) --start;
    if (work.size() - 1 - start >= 2) {
      std::string matched = work.substr(start);
      for (char& c : matched) c = static_cast<char>(IsUpper(c) ? c - 'A' + 'a' : c);
      work = work.substr(0, start) + sep + matched;
    }
  }
  std::string transformed = SubEndCap(SubFirstCap(work, sep), sep);
  for (char& c : transformed) {
    if (IsUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return transformed;
}

}  // namespace awsd
