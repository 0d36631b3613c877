// The server's bindings: rules and settings read from storage.rules(), tenant
// log events appended to storage.logs().

#include <future>

#include "flow/redirect/redirect_fixture.h"
#include "flow/storage_bindings.h"

namespace gatehouse::flow::testing {
namespace {

TEST_F(RedirectTest, StorageRulesRunInOrderWithSettingsAndLogsAreStored) {
  storage::Storage& storage = *h_.storage;
  ASSERT_TRUE(storage.rules().SetConfig("GREETING", "hello").ok());
  storage::RuleRecord second{.id = "",
                             .name = "second",
                             .script = R"JS(function (user, context, callback) {
    context.idToken['https://example.org/seen'] = context.idToken['https://example.org/seen'] + ',second';
    console.log('second ran');
    callback(null, user, context);
  })JS",
                             .order = 2};
  storage::RuleRecord first{.id = "",
                            .name = "first",
                            .script = R"JS(function (user, context, callback) {
    context.idToken['https://example.org/seen'] = configuration.GREETING;
    callback(null, user, context);
  })JS",
                            .order = 1};
  storage::RuleRecord disabled{.id = "",
                               .name = "off",
                               .script = R"JS(function (user, context, callback) {
    callback(new UnauthorizedError('must not run'));
  })JS",
                               .order = 0,
                               .enabled = false};
  ASSERT_TRUE(storage.rules().Create(second).ok());
  ASSERT_TRUE(storage.rules().Create(first).ok());
  ASSERT_TRUE(storage.rules().Create(disabled).ok());

  TenantLog log(StorageLogSink(storage));
  RulesPipeline pipeline(*h_.engine, StorageRulesSource(storage), *h_.users, h_.clock, log);
  RulesRun run;
  run.protocol = "oidc-basic-profile";
  run.client = h_.client;
  run.user = h_.users->Get(h_.user_id)->ToJson();
  run.scope = "openid";
  std::promise<RulesResult> promise;
  pipeline.RunRules(run, [&](RulesResult r) { promise.set_value(std::move(r)); });
  RulesResult result = promise.get_future().get();
  ASSERT_EQ(result.outcome.kind, oauth::LoginOutcome::Kind::kContinue)
      << result.outcome.error_description;
  EXPECT_EQ(result.outcome.id_token_claims["https://example.org/seen"], "hello,second");
  EXPECT_EQ(result.context["connection"], "Username-Password-Authentication");
  EXPECT_EQ(result.context["clientName"], "Test SPA");

  storage::LogQuery query;
  query.type = "gh_rule_console";
  auto page = storage.logs().Query(query);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].description, "second ran");
  EXPECT_EQ(page->events[0].client_id, h_.client.client_id);
}

}  // namespace
}  // namespace gatehouse::flow::testing
