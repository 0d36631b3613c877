// SigningKeyRepo: insert/get/list order, duplicates, the SetStatus CAS.

#include <atomic>
#include <barrier>
#include <string>
#include <thread>
#include <vector>

#include "storage/conformance/storage_conformance.h"

namespace gatehouse::storage::testing {
namespace {

SigningKeyRecord Key(const std::string& kid, int64_t created_at, const std::string& alg = "RS256") {
  SigningKeyRecord k;
  k.kid = kid;
  k.alg = alg;
  k.private_pem = "-----BEGIN PRIVATE KEY-----\nMII" + kid + "\n-----END PRIVATE KEY-----\n";
  k.public_jwk = R"({"kty":"RSA","kid":")" + kid + R"(","alg":")" + alg + R"(","use":"sig"})";
  k.created_at = created_at;
  return k;
}

TEST_P(SigningKeyRepoConformance, InsertThenGetRoundTrips) {
  SigningKeyRecord k = Key("kid-1", 1'700'000'100, "ES256");
  ASSERT_TRUE(keys().Insert(k).ok());
  auto got = keys().Get("kid-1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->kid, k.kid);
  EXPECT_EQ(got->alg, "ES256");
  EXPECT_EQ(got->private_pem, k.private_pem);
  EXPECT_EQ(got->public_jwk, k.public_jwk);
  EXPECT_EQ(got->created_at, k.created_at);
  EXPECT_EQ(got->status, "active");
  EXPECT_EQ(got->version, 1);
}

TEST_P(SigningKeyRepoConformance, DuplicateKidIsAlreadyExistsAndKeepsOriginal) {
  ASSERT_TRUE(keys().Insert(Key("k", 10, "RS256")).ok());
  EXPECT_EQ(keys().Insert(Key("k", 20, "ES256")).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(keys().Get("k")->alg, "RS256");
  EXPECT_EQ(keys().List()->size(), 1u);
}

TEST_P(SigningKeyRepoConformance, MissingKeyIsNotFound) {
  EXPECT_EQ(keys().Get("none").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(keys().SetStatus("none", 1, "retired").code(), ErrorCode::kNotFound);
  auto empty = keys().List();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_P(SigningKeyRepoConformance, ListIsOldestFirstThenByKid) {
  ASSERT_TRUE(keys().Insert(Key("c", 300)).ok());
  ASSERT_TRUE(keys().Insert(Key("b", 100)).ok());
  ASSERT_TRUE(keys().Insert(Key("z", 200)).ok());
  ASSERT_TRUE(keys().Insert(Key("a", 200)).ok());
  auto all = keys().List();
  ASSERT_TRUE(all.ok());
  std::vector<std::string> kids;
  for (const auto& k : *all) kids.push_back(k.kid);
  EXPECT_EQ(kids, (std::vector<std::string>{"b", "a", "z", "c"}));
}

TEST_P(SigningKeyRepoConformance, SetStatusIsCompareAndSet) {
  ASSERT_TRUE(keys().Insert(Key("k", 1)).ok());
  ASSERT_TRUE(keys().SetStatus("k", 1, "retired").ok());
  auto got = keys().Get("k");
  EXPECT_EQ(got->status, "retired");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(keys().SetStatus("k", 1, "revoked").code(), ErrorCode::kConflict);
  EXPECT_EQ(keys().Get("k")->status, "retired");
  ASSERT_TRUE(keys().SetStatus("k", 2, "revoked").ok());
  EXPECT_EQ(keys().Get("k")->version, 3);
}

TEST_P(SigningKeyRepoConformance, InvalidInputIsInvalidArgumentAndWritesNothing) {
  SigningKeyRecord no_kid = Key("", 1);
  EXPECT_EQ(keys().Insert(no_kid).code(), ErrorCode::kInvalidArgument);
  SigningKeyRecord bad_status = Key("k", 1);
  bad_status.status = "sort-of-active";
  EXPECT_EQ(keys().Insert(bad_status).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(keys().List()->empty());
  ASSERT_TRUE(keys().Insert(Key("k", 1)).ok());
  EXPECT_EQ(keys().SetStatus("k", 1, "deleted").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(keys().Get("k")->version, 1);
}

TEST_P(SigningKeyRepoConformance, RacingSetStatusHasOneWinner) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  ASSERT_TRUE(keys().Insert(Key("hot", 1)).ok());
  std::vector<std::atomic<int>> winners(kRounds);
  std::atomic<int> unexpected{0};
  std::barrier sync(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < kRounds; ++round) {
        sync.arrive_and_wait();
        Status s = keys().SetStatus("hot", round + 1, round % 2 ? "active" : "retired");
        if (s.ok()) {
          ++winners[round];
        } else if (s.code() != ErrorCode::kConflict) {
          ++unexpected;
        }
        sync.arrive_and_wait();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(unexpected.load(), 0);
  for (int round = 0; round < kRounds; ++round) EXPECT_EQ(winners[round].load(), 1);
  EXPECT_EQ(keys().Get("hot")->version, kRounds + 1);
}

}  // namespace
}  // namespace gatehouse::storage::testing
