#include "storage/postgres/pg_result.h"

#include <cstdlib>

namespace gatehouse::storage::postgres {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

int64_t PgResult::affected() const {
  if (!res_) return 0;
  const char* n = PQcmdTuples(res_.get());
  return (n == nullptr || *n == '\0') ? 0 : std::strtoll(n, nullptr, 10);
}

std::string PgResult::Text(int row, int col) const {
  return std::string(PQgetvalue(res_.get(), row, col),
                     static_cast<size_t>(PQgetlength(res_.get(), row, col)));
}

int64_t PgResult::Int64(int row, int col) const {
  return std::strtoll(PQgetvalue(res_.get(), row, col), nullptr, 10);
}

std::optional<int64_t> PgResult::OptionalInt64(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int64(row, col);
}

std::string PgResult::Bytes(int row, int col) const {
  // The server's default bytea_output is hex; the backend never changes it.
  const char* v = PQgetvalue(res_.get(), row, col);
  const size_t len = static_cast<size_t>(PQgetlength(res_.get(), row, col));
  std::string out;
  if (len < 2 || v[0] != '\\' || v[1] != 'x') return out;
  out.reserve((len - 2) / 2);
  for (size_t i = 2; i + 1 < len; i += 2) {
    out.push_back(static_cast<char>(HexValue(v[i]) * 16 + HexValue(v[i + 1])));
  }
  return out;
}

}  // namespace gatehouse::storage::postgres
