#pragma once
// Internal to the SQLite backend: a borrowed, cached prepared statement.
// Destruction resets it (and clears bindings) so the cache can hand it out
// again. Not thread-safe: used only by the thread holding its connection.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace gatehouse::storage::sqlite {

// Maps a SQLite result code to a Status: BUSY/LOCKED (the busy timeout ran
// out) => Unavailable, anything else => Internal. `what` names the operation.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Bytes are bound as BLOBs (an empty
  // string is a zero-length BLOB, not NULL); text is bound as TEXT.
  void BindBytes(int index, std::string_view bytes);
  void BindText(int index, std::string_view text);
  void BindInt64(int index, int64_t value);
  void BindOptionalInt64(int index, std::optional<int64_t> value);

  // One step: true when a row is available, false when the statement is done.
  // The raw SQLite code of the last step is in last_rc() (to tell constraint
  // violations apart).
  Result<bool> Step();
  // Steps until done, ignoring rows.
  Status Run();
  int last_rc() const { return last_rc_; }

  int64_t ColumnInt64(int col) const;
  std::optional<int64_t> ColumnOptionalInt64(int col) const;
  // Column bytes whatever the storage class (BLOB or TEXT).
  std::string ColumnBytes(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int last_rc_ = SQLITE_OK;
};

}  // namespace gatehouse::storage::sqlite
