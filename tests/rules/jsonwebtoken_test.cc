// SPEC §4.3 jsonwebtoken: the npm package's API, options, errors and messages,
// checked against tokens the real package produced.
#include <gtest/gtest.h>

#include "core/base64url.h"
#include "crypto/asymmetric_key.h"
#include "crypto/digest.h"
#include "rules/engine_fixture.h"
#include "rules/npm_jwt_vectors.h"

namespace gatehouse::rules {
namespace {

using testing::DefaultInput;
using testing::Describe;
using testing::RunScript;

nlohmann::json Eval(const std::string& body, std::map<std::string, std::string> config = {}) {
  auto input = DefaultInput();
  input.configuration = std::move(config);
  auto o = RunScript(
      "async function (user, context, callback) { const jwt = "
      "require('jsonwebtoken'); let out;\n" +
          body + "\nuser.out = out; callback(null, user, context); }",
      input);
  EXPECT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  return o.user.value("out", nlohmann::json());
}

// `verify` is a JS expression calling jwt.verify; returns "ok" or "Name: message".
std::string VerifyError(const std::string& verify, std::map<std::string, std::string> config) {
  auto out =
      Eval("try { " + verify + "; out = 'ok'; } catch (e) { out = e.name + ': ' + e.message; }",
           std::move(config));
  return out.is_string() ? out.get<std::string>() : out.dump();
}

TEST(JsonWebToken, SignsExactlyAsTheNpmPackage) {
  auto out = Eval(R"(
    out = jwt.sign({ sub: 'u1', iat: 1700000000 }, 'shh',
                   { expiresIn: '5 minutes', audience: 'aud1', issuer: 'https://iss.example' });
  )");
  EXPECT_EQ(out, testing::kNpmHs256Token);
}

TEST(JsonWebToken, SignedTokenVerifiesOutsideTheRule) {
  auto out = Eval(R"(
    out = jwt.sign({ 'https://x.example/claims/required_fields': ['given_name'] }, configuration.SECRET,
                   { subject: 'auth0|u1', expiresIn: '3d', algorithm: 'HS512', jwtid: 'j1' });
  )",
                  {{"SECRET", "s3cr3t"}});
  std::string token = out.get<std::string>();
  auto dot2 = token.rfind('.');
  auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  ASSERT_TRUE(signature);
  EXPECT_EQ(*signature, crypto::Hmac(crypto::Hash::kSha512, "s3cr3t", token.substr(0, dot2)));
  auto payload = nlohmann::json::parse(
      *Base64UrlDecode(token.substr(token.find('.') + 1, dot2 - token.find('.') - 1)));
  EXPECT_EQ(payload["exp"].get<int64_t>() - payload["iat"].get<int64_t>(), 3 * 86400);
  EXPECT_EQ(payload["sub"], "auth0|u1");
  EXPECT_EQ(payload["jti"], "j1");
}

TEST(JsonWebToken, VerifiesNpmTokensForEveryAlgorithm) {
  auto out = Eval(R"(
    const now = { clockTimestamp: 1700000001 };
    out = [
      jwt.verify(configuration.HS, 'shh', { ...now, audience: 'aud1', issuer: 'https://iss.example' }).sub,
      jwt.verify(configuration.RS, configuration.RSA_PUB, { ...now, algorithms: ['RS256'], audience: 'app',
                 issuer: 'https://pw.example' }).passwordChanged,
      jwt.verify(configuration.ES, configuration.EC_PUB, now).sub,
      jwt.decode(configuration.RS, { complete: true }).header.alg,
    ];
  )",
                  {{"HS", testing::kNpmHs256Token},
                   {"RS", testing::kNpmRs256Token},
                   {"RSA_PUB", testing::kNpmRsaPublicPem},
                   {"ES", testing::kNpmEs256Token},
                   {"EC_PUB", testing::kNpmEcPublicPem}});
  EXPECT_EQ(out, nlohmann::json({"u1", true, "auth0|u1", "RS256"}));
}

TEST(JsonWebToken, VerifyErrorsHaveTheNpmNamesAndMessages) {
  std::map<std::string, std::string> c = {{"T", testing::kNpmHs256Token},
                                          {"RS", testing::kNpmRs256Token},
                                          {"RSA_PUB", testing::kNpmRsaPublicPem}};
  const std::string t = "jwt.verify(configuration.T, 'shh', {clockTimestamp: 1700000001";
  EXPECT_EQ(VerifyError("jwt.verify(configuration.T, 'shh')", c), "TokenExpiredError: jwt expired");
  EXPECT_EQ(VerifyError(t + ", audience: 'other'})", c),
            "JsonWebTokenError: jwt audience invalid. expected: other");
  EXPECT_EQ(VerifyError(t + ", audience: ['a', 'b']})", c),
            "JsonWebTokenError: jwt audience invalid. expected: a or b");
  EXPECT_EQ(VerifyError(t + ", issuer: 'https://evil.example'})", c),
            "JsonWebTokenError: jwt issuer invalid. expected: https://evil.example");
  EXPECT_EQ(VerifyError(t + ", issuer: ['a', 'b']})", c),
            "JsonWebTokenError: jwt issuer invalid. expected: a,b");
  EXPECT_EQ(VerifyError(t + ", subject: 'zz'})", c),
            "JsonWebTokenError: jwt subject invalid. expected: zz");
  EXPECT_EQ(VerifyError(t + ", algorithms: ['RS256']})", c),
            "JsonWebTokenError: invalid algorithm");
  EXPECT_EQ(VerifyError(t + ", algorithms: ['HS256']})", c), "ok");
  EXPECT_EQ(VerifyError("jwt.verify(configuration.T, 'wrong', {clockTimestamp: 1700000001})", c),
            "JsonWebTokenError: invalid signature");
  EXPECT_EQ(VerifyError("jwt.verify(configuration.T, 'shh', {ignoreExpiration: true})", c), "ok");
  EXPECT_EQ(VerifyError("jwt.verify(configuration.T, 'shh', {clockTolerance: 2000000000})", c),
            "ok");
  EXPECT_EQ(
      VerifyError("jwt.verify(configuration.T, 'shh', {clockTimestamp: 1700000000, maxAge: '1s'})",
                  c),
      "ok");
  EXPECT_EQ(
      VerifyError("jwt.verify(configuration.T, 'shh', {clockTimestamp: 1700000010, maxAge: 5})", c),
      "TokenExpiredError: maxAge exceeded");
  EXPECT_EQ(VerifyError("jwt.verify('abc', 'shh')", c), "JsonWebTokenError: jwt malformed");
  EXPECT_EQ(VerifyError("jwt.verify('a.b.c', 'shh')", c), "JsonWebTokenError: invalid token");
  EXPECT_EQ(VerifyError("jwt.verify('', 'shh')", c), "JsonWebTokenError: jwt must be provided");
  // An RS256 token against an HMAC secret, and an HS256 token against a public key.
  EXPECT_EQ(VerifyError("jwt.verify(configuration.RS, 'shh')", c),
            "JsonWebTokenError: invalid algorithm");
  EXPECT_EQ(VerifyError("jwt.verify(configuration.T, configuration.RSA_PUB)", c),
            "JsonWebTokenError: invalid algorithm");
  EXPECT_EQ(VerifyError("jwt.verify(jwt.sign({nbf: 4102444800}, 'shh'), 'shh')", c),
            "NotBeforeError: jwt not active");
}

TEST(JsonWebToken, ErrorClassesAndDates) {
  auto out = Eval(R"(
    try { jwt.verify(jwt.sign({ exp: 1000 }, 'k'), 'k'); } catch (e) {
      out = [e instanceof jwt.TokenExpiredError, e instanceof jwt.JsonWebTokenError, e instanceof Error,
             e.expiredAt.toISOString()];
    }
  )");
  EXPECT_EQ(out, nlohmann::json({true, true, true, "1970-01-01T00:16:40.000Z"}));
}

TEST(JsonWebToken, SignOptionErrors) {
  auto out = Eval(R"(
    out = [];
    for (const f of [() => jwt.sign({}, 'k', { expiresIn: '5 fortnights' }),
                     () => jwt.sign({ exp: 1 }, 'k', { expiresIn: '5m' }),
                     () => jwt.sign({}, ''),
                     () => jwt.sign({}, 'k', { algorithm: 'RS256' })]) {
      try { f(); out.push('ok'); } catch (e) { out.push(e.message); }
    }
  )");
  EXPECT_EQ(out[0],
            "\"expiresIn\" should be a number of seconds or string representing a timespan eg: "
            "\"1d\", \"20h\", 60");
  EXPECT_EQ(out[1],
            "Bad \"options.expiresIn\" option the payload already has an \"exp\" property.");
  EXPECT_EQ(out[2], "secretOrPrivateKey must have a value");
  EXPECT_EQ(out[3], "secretOrPrivateKey must be an asymmetric key when using RS256");
}

TEST(JsonWebToken, SignsRs256AndEs256ThatVerifyWithTheirPublicKeys) {
  auto rsa = crypto::PrivateKey::GenerateRsa(2048);
  auto ec = crypto::PrivateKey::GenerateEcP256();
  ASSERT_TRUE(rsa.ok() && ec.ok());
  auto out = Eval(R"(
    const rs = jwt.sign({ sub: 'x' }, configuration.RSA, { algorithm: 'RS256', expiresIn: 60 });
    const es = jwt.sign({ sub: 'y' }, configuration.EC, { algorithm: 'ES256', notBefore: '-1m' });
    out = [rs, es, jwt.verify(rs, configuration.RSA_PUB).sub, jwt.verify(es, configuration.EC_PUB).sub];
  )",
                  {{"RSA", *rsa->ToPem()},
                   {"EC", *ec->ToPem()},
                   {"RSA_PUB", *rsa->Public().ToPem()},
                   {"EC_PUB", *ec->Public().ToPem()}});
  ASSERT_TRUE(out.is_array()) << out.dump();
  EXPECT_EQ(out[2], "x");
  EXPECT_EQ(out[3], "y");
  for (int i : {0, 1}) {
    std::string token = out[i];
    auto dot2 = token.rfind('.');
    auto key = i == 0 ? rsa->Public() : ec->Public();
    EXPECT_TRUE(key.Verify(crypto::Hash::kSha256, token.substr(0, dot2),
                           *Base64UrlDecode(token.substr(dot2 + 1))));
  }
}

TEST(JsonWebToken, CallbackStyleAndDecode) {
  auto out = Eval(R"(
    const token = await new Promise((resolve, reject) =>
        jwt.sign({ a: 1 }, 'k', { expiresIn: 10 }, (err, t) => (err ? reject(err) : resolve(t))));
    let verified, error;
    jwt.verify(token, 'k', (err, decoded) => { verified = decoded.a; });
    jwt.verify(token, 'nope', {}, (err) => { error = err.message; });
    out = [verified, error, jwt.decode(token).a, jwt.decode('garbage'), jwt.decode(token, { complete: true }).header.typ];
  )");
  EXPECT_EQ(out, nlohmann::json({1, "invalid signature", 1, nullptr, "JWT"}));
}

}  // namespace
}  // namespace gatehouse::rules
