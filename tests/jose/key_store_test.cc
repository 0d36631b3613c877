#include "jose/key_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "jose/fake_signing_key_repo.h"
#include "jose/jwk.h"
#include "jose/jws.h"

namespace gatehouse::jose {
namespace {

using testing::FakeSigningKeyRepo;

class KeyStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<KeyStore> NewStore() {
    auto store = KeyStore::Create(repo_, clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }

  // Verifies `token` the way a relying party would: through the JWKS.
  static Status VerifyWithJwks(const nlohmann::json& jwks, const std::string& token, Alg alg) {
    KeyLookup lookup = [&](std::string_view kid) -> Result<VerificationKey> {
      for (const auto& jwk : jwks["keys"]) {
        if (jwk["kid"] == kid) {
          GH_ASSIGN_OR_RETURN(crypto::PublicKey key, ParseJwk(jwk));
          return VerificationKey::Public(key);
        }
      }
      return NotFound("kid");
    };
    return Verify(token, alg, lookup, {.require_kid = true}).status();
  }

  FakeSigningKeyRepo repo_;
  FakeClock clock_;
};

TEST_F(KeyStoreTest, EmptyStoreHasNoKeys) {
  auto store = NewStore();
  EXPECT_EQ(store->ActiveKey("RS256").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->Jwks(), nlohmann::json({{"keys", nlohmann::json::array()}}));
  EXPECT_EQ(store->ActiveKey("HS256").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->ActiveKey("none").status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(KeyStoreTest, EnsureKeysIsIdempotent) {
  auto store = NewStore();
  ASSERT_TRUE(store->EnsureKeys().ok());
  EXPECT_EQ(repo_.inserts, 2);
  auto rs = store->ActiveKey("RS256");
  auto es = store->ActiveKey("ES256");
  ASSERT_TRUE(rs.ok() && es.ok());
  EXPECT_EQ(rs->alg(), Alg::kRS256);
  EXPECT_EQ(es->alg(), Alg::kES256);
  EXPECT_EQ(rs->kid(), Thumbprint(*rs->Public()));

  ASSERT_TRUE(store->EnsureKeys().ok());
  EXPECT_EQ(repo_.inserts, 2);
  // A second node over the same repo creates nothing either.
  auto other = NewStore();
  ASSERT_TRUE(other->EnsureKeys().ok());
  EXPECT_EQ(repo_.inserts, 2);
  EXPECT_EQ(other->ActiveKey("RS256")->kid(), rs->kid());
}

TEST_F(KeyStoreTest, JwksHasKidAlgUseAndNoPrivateMembers) {
  auto store = NewStore();
  ASSERT_TRUE(store->EnsureKeys().ok());
  nlohmann::json jwks = store->Jwks();
  ASSERT_EQ(jwks["keys"].size(), 2u);
  for (const auto& jwk : jwks["keys"]) {
    EXPECT_TRUE(jwk["kid"].is_string());
    EXPECT_EQ(jwk["use"], "sig");
    EXPECT_TRUE(jwk["alg"] == "RS256" || jwk["alg"] == "ES256");
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
      EXPECT_FALSE(jwk.contains(secret)) << secret;
    }
    auto key = ParseJwk(jwk);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(Thumbprint(*key), jwk["kid"]);
  }
  const std::string text = jwks.dump();
  EXPECT_EQ(text.find("PRIVATE"), std::string::npos);
}

TEST_F(KeyStoreTest, ActiveKeysSignTokensTheJwksVerifies) {
  auto store = NewStore();
  ASSERT_TRUE(store->EnsureKeys().ok());
  for (Alg alg : {Alg::kRS256, Alg::kES256}) {
    auto key = store->ActiveKey(AlgName(alg));
    ASSERT_TRUE(key.ok());
    auto token = Sign(nullptr, "x", *key);
    ASSERT_TRUE(token.ok());
    EXPECT_TRUE(VerifyWithJwks(store->Jwks(), *token, alg).ok()) << AlgName(alg);
    auto pub = store->Lookup(key->kid());
    ASSERT_TRUE(pub.ok());
    EXPECT_TRUE(
        Verify(*token, alg, FixedKey(VerificationKey::Public(*pub)), {.require_kid = true}).ok());
  }
}

TEST_F(KeyStoreTest, RotateKeepsOldKeyVerifiable) {
  auto store = NewStore();
  ASSERT_TRUE(store->EnsureKeys().ok());
  auto old_key = *store->ActiveKey("RS256");
  auto old_token = *Sign(nullptr, "old", old_key);
  const std::string es_kid = store->ActiveKey("ES256")->kid();

  clock_.Advance(std::chrono::hours(24));
  auto new_kid = store->Rotate("RS256");
  ASSERT_TRUE(new_kid.ok()) << new_kid.status().ToString();
  EXPECT_NE(*new_kid, old_key.kid());
  EXPECT_EQ(store->ActiveKey("RS256")->kid(), *new_kid);
  EXPECT_EQ(store->ActiveKey("ES256")->kid(), es_kid);  // other alg untouched

  EXPECT_EQ(repo_.Get(old_key.kid())->status, "retired");
  EXPECT_EQ(store->Jwks()["keys"].size(), 3u);
  // The cached serialized JWKS follows the rotation.
  EXPECT_EQ(nlohmann::json::parse(store->JwksBody()), store->Jwks());
  EXPECT_NE(store->JwksBody().find(*new_kid), std::string::npos);
  EXPECT_TRUE(VerifyWithJwks(store->Jwks(), old_token, Alg::kRS256).ok());
  EXPECT_TRUE(store->Lookup(old_key.kid()).ok());
  auto new_token = *Sign(nullptr, "new", *store->ActiveKey("RS256"));
  EXPECT_TRUE(VerifyWithJwks(store->Jwks(), new_token, Alg::kRS256).ok());

  // The retired key survives a fresh load from the repo (another node).
  auto other = NewStore();
  EXPECT_TRUE(other->Lookup(old_key.kid()).ok());
  EXPECT_EQ(other->ActiveKey("RS256")->kid(), *new_kid);
  EXPECT_FALSE(store->Rotate("HS256").ok());
}

TEST_F(KeyStoreTest, RevokedKeysAreNeitherPublishedNorFound) {
  auto store = NewStore();
  ASSERT_TRUE(store->EnsureKeys().ok());
  const std::string kid = store->ActiveKey("ES256")->kid();
  auto record = *repo_.Get(kid);
  ASSERT_TRUE(repo_.SetStatus(kid, record.version, "revoked").ok());
  ASSERT_TRUE(store->Reload().ok());
  EXPECT_EQ(store->Lookup(kid).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->Jwks()["keys"].size(), 1u);
  EXPECT_EQ(store->ActiveKey("ES256").status().code(), ErrorCode::kNotFound);
}

TEST_F(KeyStoreTest, RacingNodesBothActiveNewestSigns) {
  auto a = NewStore();
  auto b = NewStore();
  ASSERT_TRUE(a->EnsureKeys().ok());
  // Another node, racing, stored a second active ES256 key a second later.
  FakeSigningKeyRepo& repo = repo_;
  auto key = *crypto::PrivateKey::GenerateEcP256();
  storage::SigningKeyRecord record;
  record.kid = Thumbprint(key.Public());
  record.alg = "ES256";
  record.private_pem = *key.ToPem();
  record.public_jwk = PublicJwk(key.Public(), record.kid, "ES256").dump();
  record.created_at = clock_.NowSeconds() + 1;
  ASSERT_TRUE(repo.Insert(record).ok());
  ASSERT_TRUE(b->Reload().ok());
  EXPECT_EQ(b->ActiveKey("ES256")->kid(), record.kid);
  EXPECT_EQ(b->Jwks()["keys"].size(), 3u);
  // EnsureKeys on b sees active keys and adds nothing.
  const int inserts = repo_.inserts;
  ASSERT_TRUE(b->EnsureKeys().ok());
  EXPECT_EQ(repo_.inserts, inserts);
}

TEST_F(KeyStoreTest, LookupMissReloadsAtMostOncePerInterval) {
  auto a = NewStore();
  auto b = NewStore();  // loaded while the repo was empty
  ASSERT_TRUE(a->EnsureKeys().ok());
  const std::string kid = a->ActiveKey("RS256")->kid();
  const int lists = repo_.lists;
  EXPECT_TRUE(b->Lookup(kid).ok());  // first miss reloads and finds it
  EXPECT_EQ(repo_.lists, lists + 1);
  EXPECT_EQ(b->Lookup("nope").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(b->Lookup("nope2").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(repo_.lists, lists + 1);  // throttled
  clock_.Advance(KeyStore::kMissReloadInterval);
  EXPECT_EQ(b->Lookup("nope").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(repo_.lists, lists + 2);
}

TEST_F(KeyStoreTest, RepoErrorsAreReturnedAndCacheKept) {
  auto store = NewStore();
  ASSERT_TRUE(store->EnsureKeys().ok());
  repo_.fail_list = true;
  EXPECT_EQ(store->Reload().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(store->ActiveKey("RS256").ok());
  EXPECT_EQ(KeyStore::Create(repo_, clock_).status().code(), ErrorCode::kUnavailable);
}

TEST_F(KeyStoreTest, ReadersRunConcurrentlyWithRotation) {
  auto store = NewStore();
  ASSERT_TRUE(store->EnsureKeys().ok());
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto key = store->ActiveKey("ES256");
        if (!key.ok()) {
          ++failures;
          continue;
        }
        auto token = Sign(nullptr, "x", *key);
        if (!token.ok() || !VerifyWithJwks(store->Jwks(), *token, Alg::kES256).ok()) ++failures;
      }
    });
  }
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(store->Rotate("ES256").ok());
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store->Jwks()["keys"].size(), 7u);  // 6 ES256 (1 active) + 1 RS256
}

TEST_F(KeyStoreTest, CorruptRecordsAreSkipped) {
  storage::SigningKeyRecord bad;
  bad.kid = "broken";
  bad.alg = "RS256";
  bad.private_pem = "not a pem";
  bad.public_jwk = "{}";
  ASSERT_TRUE(repo_.Insert(bad).ok());
  auto store = NewStore();
  EXPECT_EQ(store->ActiveKey("RS256").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->Lookup("broken").status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store->EnsureKeys().ok());
  EXPECT_TRUE(store->ActiveKey("RS256").ok());
}

}  // namespace
}  // namespace gatehouse::jose
