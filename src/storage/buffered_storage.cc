#include "storage/buffered_storage.h"

namespace gatehouse::storage {
namespace {

class BufferedStorage final : public Storage {
 public:
  BufferedStorage(std::unique_ptr<Storage> inner, Clock& clock, BufferedLogOptions options)
      : inner_(std::move(inner)), logs_(inner_->logs(), clock, options) {}

  SigningKeyRepo& signing_keys() override { return inner_->signing_keys(); }
  SecretRepo& secrets() override { return inner_->secrets(); }
  RecordRepo& records() override { return inner_->records(); }
  UserRepo& users() override { return inner_->users(); }
  RuleRepo& rules() override { return inner_->rules(); }
  LogRepo& logs() override { return logs_; }
  int SchemaVersion() override { return inner_->SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_->LatestSchemaVersion(); }
  std::string Describe() const override { return inner_->Describe(); }
  bool ChangesDurable() override { return inner_->ChangesDurable(); }
  void WhenChangesDurable(std::function<void()> done) override {
    inner_->WhenChangesDurable(std::move(done));
  }

 private:
  std::unique_ptr<Storage> inner_;  // declared first: outlives logs_, which flushes into it
  BufferedLogRepo logs_;
};

}  // namespace

std::unique_ptr<Storage> WithBufferedLogs(std::unique_ptr<Storage> inner, Clock& clock,
                                          BufferedLogOptions options) {
  return std::make_unique<BufferedStorage>(std::move(inner), clock, options);
}

}  // namespace gatehouse::storage
