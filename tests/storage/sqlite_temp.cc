#include "storage/sqlite_temp.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace gatehouse::storage::testing {
namespace {

// Owns the file: closes the real storage, then deletes the files.
class TempFileStorage final : public Storage {
 public:
  TempFileStorage(std::unique_ptr<Storage> inner, std::string path)
      : inner_(std::move(inner)), path_(std::move(path)) {}
  ~TempFileStorage() override {
    inner_.reset();
    RemoveDbFiles(path_);
  }
  SigningKeyRepo& signing_keys() override { return inner_->signing_keys(); }
  SecretRepo& secrets() override { return inner_->secrets(); }
  RecordRepo& records() override { return inner_->records(); }
  UserRepo& users() override { return inner_->users(); }
  RuleRepo& rules() override { return inner_->rules(); }
  LogRepo& logs() override { return inner_->logs(); }
  int SchemaVersion() override { return inner_->SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_->LatestSchemaVersion(); }
  std::string Describe() const override { return inner_->Describe(); }
  bool ChangesDurable() override { return inner_->ChangesDurable(); }
  void WhenChangesDurable(std::function<void()> done) override {
    inner_->WhenChangesDurable(std::move(done));
  }

 private:
  std::unique_ptr<Storage> inner_;
  std::string path_;
};

}  // namespace

std::string NewTempDbPath() {
  static std::atomic<int> counter{0};
  std::string dir = ::testing::TempDir();
  if (!dir.empty() && dir.back() != '/') dir += '/';
  std::string path =
      dir + "gh_storage_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db";
  RemoveDbFiles(path);
  return path;
}

void RemoveDbFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((path + suffix).c_str());
  }
}

std::unique_ptr<Storage> OpenTempSqlite(Clock& clock) { return OpenTempSqliteWith(clock, {}); }

std::unique_ptr<Storage> OpenTempSqliteGroupCommit(Clock& clock) {
  return OpenTempSqliteWith(clock, {.group_commit = true});
}

std::unique_ptr<Storage> OpenTempSqliteWith(Clock& clock, SqliteOptions options) {
  std::string path = NewTempDbPath();
  auto opened = OpenSqliteStorage(path, clock, options);
  if (!opened.ok()) {
    ADD_FAILURE() << "OpenSqliteStorage(" << path << "): " << opened.status().ToString();
    RemoveDbFiles(path);
    return nullptr;
  }
  return std::make_unique<TempFileStorage>(std::move(opened).value(), path);
}

}  // namespace gatehouse::storage::testing
