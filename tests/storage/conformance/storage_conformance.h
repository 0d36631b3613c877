#pragma once
// The storage conformance suite (Dex style): written once against the
// Storage interface; every backend runs all of it with one line:
//
//   GATEHOUSE_STORAGE_CONFORMANCE(Sqlite, [](Clock& c) { return OpenTempSqlite(c); });
//
// Link the gh_storage_conformance object library into the test binary.

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "core/clock.h"
#include "storage/storage.h"

namespace gatehouse::storage::testing {

// A factory returns a fresh, empty storage using the given clock (the clock
// outlives the storage). It may fail the test with ADD_FAILURE and return null,
// or mark it skipped (GTEST_SKIP in a helper) and return null.
using StorageFactory = std::function<std::unique_ptr<Storage>(Clock&)>;

// Each test gets a fresh storage on a FakeClock it can move.
class StorageConformanceTest : public ::testing::TestWithParam<StorageFactory> {
 protected:
  void SetUp() override {
    storage_ = GetParam()(clock_);
    if (IsSkipped()) return;  // e.g. no PostgreSQL server for this run
    ASSERT_NE(storage_, nullptr) << "storage factory failed";
  }
  void TearDown() override { storage_.reset(); }

  RecordRepo& records() { return storage_->records(); }
  SigningKeyRepo& keys() { return storage_->signing_keys(); }
  SecretRepo& secrets() { return storage_->secrets(); }
  UserRepo& users() { return storage_->users(); }
  RuleRepo& rules() { return storage_->rules(); }
  LogRepo& logs() { return storage_->logs(); }

  FakeClock clock_{1'700'000'000};
  std::unique_ptr<Storage> storage_;  // declared after clock_: destroyed first
};

class RecordRepoConformance : public StorageConformanceTest {};
class RecordRaceConformance : public StorageConformanceTest {};
class SigningKeyRepoConformance : public StorageConformanceTest {};
class SecretRepoConformance : public StorageConformanceTest {};
class StorageInfoConformance : public StorageConformanceTest {};
class UserRepoConformance : public StorageConformanceTest {};
class UserRaceConformance : public StorageConformanceTest {};
class RuleRepoConformance : public StorageConformanceTest {};
class LogRepoConformance : public StorageConformanceTest {};

}  // namespace gatehouse::storage::testing

// gtest pastes the suite name into identifiers, so it must be unqualified:
// the instantiations are placed inside the suite's namespace.
#define GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, Suite, factory) \
  INSTANTIATE_TEST_SUITE_P(                                      \
      Name, Suite, ::testing::Values(StorageFactory(factory)),   \
      [](const ::testing::TestParamInfo<StorageFactory>&) { return std::string(#Name); })

// Runs every conformance test on the backend `factory` builds (anything
// convertible to StorageFactory); `Name` (an identifier) prefixes the test names.
// Use at namespace scope.
#define GATEHOUSE_STORAGE_CONFORMANCE(Name, factory)                            \
  namespace gatehouse::storage::testing {                                       \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, RecordRepoConformance, factory);     \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, RecordRaceConformance, factory);     \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, SigningKeyRepoConformance, factory); \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, SecretRepoConformance, factory);     \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, StorageInfoConformance, factory);    \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, UserRepoConformance, factory);       \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, UserRaceConformance, factory);       \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, RuleRepoConformance, factory);       \
  GATEHOUSE_STORAGE_CONFORMANCE_ONE_(Name, LogRepoConformance, factory);        \
  }                                                                             \
  static_assert(true, "require a trailing semicolon")
