// /api/v2/logs (SPEC §5.3): tenant log events, newest first, with offset
// paging (page/per_page/include_totals), checkpoint paging (from/take) and
// Auth0's `q` subset: type:"s" user_id:"..." client_id:"..." date:[A TO B],
// joined with AND (also accepted as `search`, which the auth0 SDK sends).

#include <regex>

#include "core/iso_time.h"
#include "mgmt/api_error.h"
#include "mgmt/context.h"

namespace gatehouse::mgmt {
namespace {

constexpr char kNoLog[] = "log not found";
constexpr char kNoLogCode[] = "inexistent_log";

nlohmann::json EventJson(const storage::LogEvent& e) {
  nlohmann::json details = nlohmann::json::parse(e.details, nullptr, false);
  if (details.is_discarded()) details = nlohmann::json::object();
  nlohmann::json j = {{"log_id", e.log_id},
                      {"_id", e.log_id},
                      {"date", IsoTimeMs(e.date_ms)},
                      {"type", e.type},
                      {"description", e.description},
                      {"ip", e.ip},
                      {"details", details}};
  auto opt = [&j](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  opt("client_id", e.client_id);
  opt("client_name", e.client_name);
  opt("user_id", e.user_id);
  opt("user_name", e.user_name);
  opt("user_agent", e.user_agent);
  opt("hostname", e.hostname);
  opt("connection", e.connection);
  return j;
}

// "2026-11-28", "2026-11-28T04:00:00Z" or "2026-11-28T04:00:00.123Z" (UTC) to ms.
std::optional<int64_t> ParseDate(const std::string& s, bool end_of_day) {
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &y, &mo, &d, &h, &mi, &sec, &ms);
  if (n < 3) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  int64_t out = static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
  if (n == 3 && end_of_day) out += 86'400'000 - 1;
  return out;
}

// Fills `q` from Auth0's query syntax; false for anything outside the subset.
bool ParseQ(const std::string& text, storage::LogQuery& q) {
  static const std::regex kTerm(
      R"re(\s*(type|user_id|client_id):("([^"]*)"|([^\s"]+))\s*|\s*date:\[\s*(\S+)\s+TO\s+(\S+)\s*\]\s*|\s*AND\s*)re");
  auto it = text.cbegin();
  std::smatch m;
  while (it != text.cend()) {
    if (!std::regex_search(it, text.cend(), m, kTerm, std::regex_constants::match_continuous)) {
      return false;
    }
    if (m[1].matched) {
      std::string value = m[3].matched ? m[3].str() : m[4].str();
      if (m[1] == "type") q.type = value;
      if (m[1] == "user_id") q.user_id = value;
      if (m[1] == "client_id") q.client_id = value;
    } else if (m[5].matched) {
      if (m[5] != "*") {
        auto from = ParseDate(m[5], false);
        if (!from) return false;
        q.from_ms = from;
      }
      if (m[6] != "*") {
        auto to = ParseDate(m[6], true);
        if (!to) return false;
        q.to_ms = to;
      }
    }
    if (m.length(0) == 0) return false;
    it += m.length(0);
  }
  return true;
}

http::Response List(MgmtContext& ctx, http::Request& req) {
  storage::LogQuery q;
  auto page = IntParam(req, "page", 0, 0, 1000000);
  auto per_page = IntParam(req, "per_page", 50, 1, 100);
  auto take = IntParam(req, "take", 50, 1, 100);
  if (!page || !per_page || !take) {
    return ApiError(400, "Query validation error: paging parameter out of range",
                    "invalid_query_string");
  }
  // The auth0 SDK (7.x) sends the query as `search`; the REST docs call it `q`.
  auto qtext = req.query.Get("q");
  if (!qtext || qtext->empty()) qtext = req.query.Get("search");
  if (qtext && !qtext->empty() && !ParseQ(*qtext, q)) {
    return ApiError(400, "Query validation error: unsupported q: " + *qtext,
                    "invalid_query_string");
  }
  const auto from = req.query.Get("from");
  const bool checkpoint = from.has_value() || req.query.Get("take").has_value();
  if (checkpoint) {
    q.from_log_id = from.value_or("");
    q.per_page = *take;
  } else {
    q.page = *page;
    q.per_page = *per_page;
  }
  auto result = ctx.deps.storage.logs().Query(q);
  if (!result.ok()) return StatusError(result.status(), kNoLog, kNoLogCode);
  nlohmann::json logs = nlohmann::json::array();
  for (const auto& e : result->events) logs.push_back(EventJson(e));
  if (checkpoint || !BoolParam(req, "include_totals")) return http::Response::Json(200, logs);
  return http::Response::Json(200, {{"start", *page * *per_page},
                                    {"limit", *per_page},
                                    {"length", logs.size()},
                                    {"total", result->total},
                                    {"logs", logs}});
}

http::Response Get(MgmtContext& ctx, http::Request& req) {
  auto e = ctx.deps.storage.logs().Get(req.path_params["id"]);
  if (!e.ok()) return StatusError(e.status(), kNoLog, kNoLogCode);
  return http::Response::Json(200, EventJson(*e));
}

}  // namespace

void RegisterLogRoutes(http::Router& router, const std::shared_ptr<MgmtContext>& ctx) {
  auto bind = [ctx](http::Response (*fn)(MgmtContext&, http::Request&)) {
    return [ctx, fn](http::Request& req, const Principal&) { return fn(*ctx, req); };
  };
  AddApiRoute(router, ctx, "GET", "/api/v2/logs", "read:logs", "Get logs", bind(List));
  AddApiRoute(router, ctx, "GET", "/api/v2/logs/:id", "read:logs", "Get a log event", bind(Get));
}

}  // namespace gatehouse::mgmt
