#pragma once
// Storage slice: tenant log events (SPEC §5.3 /api/v2/logs), Auth0-shaped.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gatehouse::storage {

// Auth0 event type codes used here: "s" success login, "f" failed login,
// "fp" wrong password, "fu" unknown user, "limit_wc" blocked (too many attempts),
// "seacft" code exchanged, "feacft" failed exchange, "sertft"/"fertft" refresh
// exchange, "seccft" client credentials, "sapi" Management API operation,
// "fapi" failed API operation, "ss"/"fs" sign-up, "slo" logout, and Gatehouse's
// own "gh_redirect" (rule redirect issued), "gh_resume" (login resumed),
// "gh_resume_rejected", "gh_rule_console" (rule console output).
struct LogEvent {
  std::string log_id;   // assigned by Append: sortable (time-ordered) unique id
  int64_t date_ms = 0;  // assigned by Append when 0
  std::string type;
  std::string description;
  std::string client_id, client_name;
  std::string user_id, user_name;
  std::string ip, user_agent, hostname;
  std::string connection;
  std::string details = "{}";  // JSON object text
};

struct LogQuery {
  std::string type;                       // "" = any
  std::string user_id;                    // "" = any
  std::string client_id;                  // "" = any
  std::optional<int64_t> from_ms, to_ms;  // inclusive bounds on date_ms
  std::string from_log_id;  // checkpoint paging: events older than this id ("" = newest)
  int page = 0;             // offset paging (ignored when from_log_id is set)
  int per_page = 50;        // 1..100
};

struct LogPage {
  std::vector<LogEvent> events;  // newest first
  int64_t total = 0;             // matching events
};

class LogRepo {
 public:
  virtual ~LogRepo() = default;
  // Stores the event; returns it with log_id/date. Never blocks a login for
  // long: callers may ignore its error (logging must not fail a login). An
  // event that already has a log_id keeps it (unless it collides).
  virtual Result<LogEvent> Append(LogEvent event) = 0;
  // Stores `events` (ids and dates assigned as by Append), in one transaction
  // where the backend can. On an error some events may be stored. The default
  // appends one at a time.
  virtual Status AppendBatch(std::vector<LogEvent> events);
  virtual Result<LogEvent> Get(const std::string& log_id) = 0;
  virtual Result<LogPage> Query(const LogQuery& query) = 0;
  // Deletes events older than `before_ms`, at most `max`; returns how many.
  virtual Result<int64_t> PurgeOlderThan(int64_t before_ms, int64_t max) = 0;
};

}  // namespace gatehouse::storage
