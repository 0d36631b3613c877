// Rules that call other servers: fetch, require('request') and
// require('axios') against a FakeUpstream on 127.0.0.1, through the real
// libcurl OutboundClient, and the limits SPEC §4.2/§4.3 put on those calls.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "http/fake_upstream.h"
#include "http/outbound.h"
#include "rules/engine_fixture.h"
#include "rules/try_rules.h"

namespace gatehouse::rules {
namespace {

using http::testing::FakeUpstream;
using http::testing::UpstreamConnection;
using http::testing::UpstreamRequest;
using nlohmann::json;
using testing::DefaultInput;
using testing::Describe;
using testing::RunScripts;
using testing::SharedEngine;

// Records metadata updates like the dry run, but makes outbound calls for
// real through an OutboundClient (what flow's host does in the server).
class NetworkHost : public RecordingHostCallbacks {
 public:
  explicit NetworkHost(http::OutboundPolicy policy = {})
      : client_(http::OutboundClient::Create(std::move(policy))) {}
  void Fetch(const FetchRequest& request,
             std::function<void(Result<FetchResponse>)> done) override {
    http::OutboundRequest out{request.method, request.url, request.headers, request.body,
                              request.timeout};
    auto r = client_->Fetch(out);
    if (!r.ok()) return done(r.status());
    done(FetchResponse{r->status, r->headers, r->body, r->url});
  }

 private:
  std::unique_ptr<http::OutboundClient> client_;
};

// The rule's script with UPSTREAM replaced by the upstream's base URL.
std::string WithUpstream(std::string script, const FakeUpstream& up) {
  std::string base = up.Url("");
  for (size_t at; (at = script.find("UPSTREAM")) != std::string::npos;) {
    script.replace(at, 8, base);
  }
  return script;
}

Outcome RunWith(HostCallbacks& host, const std::string& script,
                ExecutionInput input = DefaultInput()) {
  return RunScripts(SharedEngine(), {script}, std::move(input), &host);
}

// A JSON API: echoes what it got, answers 404 on /missing and issues tokens.
std::unique_ptr<FakeUpstream> EchoApi() {
  return FakeUpstream::Start([](const UpstreamRequest& req, UpstreamConnection& c) {
    if (req.target.rfind("/missing", 0) == 0) {
      c.Respond(404, R"({"error":"not_found"})", {{"Content-Type", "application/json"}});
      return;
    }
    json echo = {{"method", req.method},
                 {"target", req.target},
                 {"authorization", req.Header("authorization")},
                 {"content_type", req.Header("content-type")},
                 {"body", req.body}};
    c.Respond(200, echo.dump(), {{"Content-Type", "application/json"}, {"X-Upstream", "fake"}});
  });
}

TEST(OutboundRules, FetchGetsJsonAndHeaders) {
  auto up = EchoApi();
  ASSERT_NE(up, nullptr);
  NetworkHost host;
  Outcome o = RunWith(host, WithUpstream(R"(async function (user, context, callback) {
    const res = await fetch('UPSTREAM/profile?id=' + encodeURIComponent(user.user_id));
    const body = await res.json();
    context.idToken['https://ex.example/seen'] =
        [res.status, res.ok, res.headers.get('x-upstream'), body.method, body.target];
    const post = await fetch('UPSTREAM/events', {method: 'post', headers: {'Content-Type': 'application/json'},
                                                 body: JSON.stringify({login: true})});
    context.idToken['https://ex.example/posted'] = JSON.parse(await post.text()).body;
    callback(null, user, context);
  })",
                                         *up));
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.id_token_claims["https://ex.example/seen"],
            json({200, true, "fake", "GET", "/profile?id=auth0%7Cu1"}));
  EXPECT_EQ(o.id_token_claims["https://ex.example/posted"], R"({"login":true})");
  ASSERT_EQ(up->requests().size(), 2u);
  EXPECT_EQ(up->requests()[1].method, "POST");
  EXPECT_EQ(up->requests()[1].Header("content-type"), "application/json");
}

TEST(OutboundRules, RequestModuleCallbackStyle) {
  auto up = EchoApi();
  ASSERT_NE(up, nullptr);
  NetworkHost host;
  // The shape of published rules: require('request@2.56.0'), json: true,
  // auth.bearer, form and qs, (err, response, body).
  Outcome o = RunWith(host, WithUpstream(R"(function (user, context, callback) {
    const request = require('request@2.56.0');
    request.get({url: 'UPSTREAM/users', qs: {email: user.email}, json: true,
                 auth: {bearer: 'api-token'}}, function (err, response, body) {
      if (err) return callback(err);
      if (response.statusCode !== 200) return callback(new Error('status ' + response.statusCode));
      context.idToken['https://ex.example/get'] = [body.target, body.authorization, response.headers['x-upstream']];
      request.post('UPSTREAM/form', {form: {a: '1', b: 'x y'}}, function (err2, res2, body2) {
        if (err2) return callback(err2);
        const echoed = JSON.parse(body2);  // no json: true, so the body stays text
        context.idToken['https://ex.example/form'] = [echoed.method, echoed.content_type, echoed.body];
        request({method: 'POST', uri: 'UPSTREAM/json', json: {n: 1}}, function (err3, res3, body3) {
          if (err3) return callback(err3);
          context.idToken['https://ex.example/json'] = body3.body;
          request('UPSTREAM/missing', {json: true}, function (err4, res4, body4) {
            context.idToken['https://ex.example/missing'] = [err4, res4.statusCode, body4.error];
            callback(null, user, context);
          });
        });
      });
    });
  })",
                                         *up));
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.id_token_claims["https://ex.example/get"],
            json({"/users?email=ada%40example.com", "Bearer api-token", "fake"}));
  EXPECT_EQ(o.id_token_claims["https://ex.example/form"],
            json({"POST", "application/x-www-form-urlencoded", "a=1&b=x%20y"}));
  EXPECT_EQ(o.id_token_claims["https://ex.example/json"], R"({"n":1})");
  EXPECT_EQ(o.id_token_claims["https://ex.example/missing"], json({nullptr, 404, "not_found"}));
}

TEST(OutboundRules, AxiosPromiseStyleAndErrorResponse) {
  auto up = EchoApi();
  ASSERT_NE(up, nullptr);
  NetworkHost host;
  Outcome o = RunWith(host, WithUpstream(R"(async function (user, context, callback) {
    const axios = require('axios');
    const got = await axios.get('UPSTREAM/users', {params: {q: 'a b'}, headers: {Authorization: 'Bearer t'}});
    const posted = await axios.post('UPSTREAM/users', {email: user.email});
    const put = await axios({method: 'put', url: 'UPSTREAM/users/1', data: 'raw'});
    const del = await axios.delete('UPSTREAM/users/1');
    let failure;
    try {
      await axios.get('UPSTREAM/missing');
    } catch (e) {
      failure = [e.message, e.response.status, e.response.data.error, axios.isAxiosError(e)];
    }
    const api = axios.create({baseURL: 'UPSTREAM/v2', headers: {'X-Key': 'k'}});
    const created = await api.get('/items');
    context.idToken['https://ex.example/axios'] = {
      get: [got.status, got.data.target, got.data.authorization, got.headers['x-upstream']],
      post: [posted.data.content_type, JSON.parse(posted.data.body).email],
      put: [put.data.method, put.data.body], del: del.data.method, failure,
      created: created.data.target,
    };
    callback(null, user, context);
  })",
                                         *up));
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  json seen = o.id_token_claims["https://ex.example/axios"];
  EXPECT_EQ(seen["get"], json({200, "/users?q=a%20b", "Bearer t", "fake"}));
  EXPECT_EQ(seen["post"], json({"application/json", "ada@example.com"}));
  EXPECT_EQ(seen["put"], json({"PUT", "raw"}));
  EXPECT_EQ(seen["del"], "DELETE");
  EXPECT_EQ(seen["failure"], json({"Request failed with status code 404", 404, "not_found", true}));
  EXPECT_EQ(seen["created"], "/v2/items");
}

TEST(OutboundRules, TokenCachedInGlobalAcrossLogins) {
  std::atomic<int> tokens{0};
  auto up = FakeUpstream::Start([&tokens](const UpstreamRequest& req, UpstreamConnection& c) {
    if (req.target == "/oauth/token") {
      int n = ++tokens;
      c.Respond(200,
                json{{"access_token", "tok-" + std::to_string(n)}, {"expires_in", 3600}}.dump());
    } else {
      c.Respond(200, json{{"auth", req.Header("authorization")}}.dump());
    }
  });
  ASSERT_NE(up, nullptr);
  NetworkHost host;
  std::string rule = WithUpstream(R"(async function (user, context, callback) {
    const axios = require('axios');
    if (!global.apiToken || global.apiTokenExpiresAt < Date.now()) {
      const t = await axios.post('UPSTREAM/oauth/token', {grant_type: 'client_credentials'});
      global.apiToken = t.data.access_token;
      global.apiTokenExpiresAt = Date.now() + t.data.expires_in * 1000;
    }
    const r = await axios.get('UPSTREAM/api/me', {headers: {Authorization: 'Bearer ' + global.apiToken}});
    context.idToken['https://ex.example/auth'] = r.data.auth;
    callback(null, user, context);
  })",
                                  *up);
  // One tenant, one worker: `global` lives per worker, so pin both logins to
  // the same engine thread by running them on a single-threaded engine.
  auto options = testing::TestOptions();
  options.threads = 1;
  auto engine = CreateSpiderMonkeyEngine(options);
  ASSERT_TRUE(engine.ok());
  for (int login = 0; login < 3; ++login) {
    Outcome o = RunScripts(**engine, {rule}, DefaultInput("token-cache"), &host);
    ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
    EXPECT_EQ(o.id_token_claims["https://ex.example/auth"], "Bearer tok-1");
  }
  EXPECT_EQ(tokens.load(), 1);
  EXPECT_EQ(up->requests().size(), 4u);  // one token request, three API calls
}

TEST(OutboundRules, SlowUpstreamIsCutAtThePipelineLimit) {
  auto up = FakeUpstream::Start(
      [](const UpstreamRequest&, UpstreamConnection& c) { c.WaitForClientClose(); });
  ASSERT_NE(up, nullptr);
  auto options = testing::TestOptions();
  options.threads = 1;
  options.pipeline_timeout = std::chrono::milliseconds(300);
  auto engine = CreateSpiderMonkeyEngine(options);
  ASSERT_TRUE(engine.ok());
  NetworkHost host;
  // The rule even catches the error and carries on: the pipeline's time is
  // spent all the same, so the login fails with server_error (SPEC §3.5).
  Outcome o = RunScripts(**engine,
                         {WithUpstream(R"(async function (user, context, callback) {
    try { await fetch('UPSTREAM/slow'); } catch (e) { console.log('caught', e.message); }
    callback(null, user, context);
  })",
                                       *up)},
                         DefaultInput(), &host);
  EXPECT_EQ(o.kind, OutcomeKind::kError) << Describe(o);
  EXPECT_EQ(o.error_code, "server_error");
  EXPECT_NE(o.debug.find("time limit"), std::string::npos) << o.debug;
  EXPECT_EQ(up->requests().size(), 1u);
  // The worker is usable afterwards.
  Outcome after =
      RunScripts(**engine, {"function (u, c, cb) { cb(null, u, c); }"}, DefaultInput(), &host);
  EXPECT_EQ(after.kind, OutcomeKind::kContinue) << Describe(after);
}

TEST(OutboundRules, HugeResponseIsCutAtTheCap) {
  std::atomic<int64_t> sent{0};
  auto up = FakeUpstream::Start([&sent](const UpstreamRequest&, UpstreamConnection& c) {
    if (!c.Write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n")) {
      return;
    }
    std::string framed = "10000\r\n" + std::string(64 * 1024, ' ') + "\r\n";
    for (int64_t total = 0; total < 100 * 1024 * 1024; total += 64 * 1024) {
      if (!c.Write(framed)) return;
      sent += 64 * 1024;
    }
    c.Write("0\r\n\r\n");
  });
  ASSERT_NE(up, nullptr);
  http::OutboundPolicy policy;
  policy.max_response_bytes = 1 << 20;
  NetworkHost host(policy);
  Outcome o = RunWith(host, WithUpstream(R"(function (user, context, callback) {
    require('request').get({url: 'UPSTREAM/huge', json: true}, function (err, response, body) {
      if (err) return callback(err);
      callback(null, user, context);
    });
  })",
                                         *up));
  EXPECT_EQ(o.kind, OutcomeKind::kDeny) << Describe(o);
  EXPECT_EQ(o.error_code, "access_denied");
  EXPECT_NE(o.error_description.find("exceeds 1048576 bytes"), std::string::npos)
      << o.error_description;
  up.reset();
  EXPECT_LT(sent.load(), 100 * 1024 * 1024);
}

TEST(OutboundRules, MetadataAddressIsRefused) {
  NetworkHost host;
  Outcome denied = RunWith(host, R"(async function (user, context, callback) {
    const res = await fetch('http://169.254.169.254/latest/meta-data/iam/security-credentials/');
    callback(null, user, context);
  })");
  EXPECT_EQ(denied.kind, OutcomeKind::kDeny) << Describe(denied);
  EXPECT_EQ(denied.error_code, "access_denied");
  EXPECT_NE(denied.error_description.find("169.254.169.254 refused"), std::string::npos)
      << denied.error_description;

  // A rule that turns the failure into UnauthorizedError: error=unauthorized.
  Outcome unauthorized = RunWith(host, R"(function (user, context, callback) {
    require('axios').get('http://metadata.google.internal/computeMetadata/v1/')
      .then(() => callback(null, user, context))
      .catch((e) => callback(new UnauthorizedError('profile service unavailable')));
  })");
  EXPECT_EQ(unauthorized.kind, OutcomeKind::kDeny) << Describe(unauthorized);
  EXPECT_EQ(unauthorized.error_code, "unauthorized");
  EXPECT_EQ(unauthorized.error_description, "profile service unavailable");
}

TEST(OutboundRules, ThrowInsideRequestCallbackEndsTheRule) {
  auto up = EchoApi();
  ASSERT_NE(up, nullptr);
  NetworkHost host;
  Outcome o = RunWith(host, WithUpstream(R"(function (user, context, callback) {
    require('request')('UPSTREAM/x', function (err, response, body) {
      JSON.parse('not json');
    });
  })",
                                         *up));
  EXPECT_EQ(o.kind, OutcomeKind::kDeny) << Describe(o);
  EXPECT_EQ(o.error_code, "access_denied");
  EXPECT_NE(o.error_description.find("JSON"), std::string::npos) << o.error_description;
}

TEST(OutboundRules, HostWithoutNetworkRefusesWithAClearError) {
  // The base HostCallbacks answers every fetch with PermissionDenied.
  class NoNetwork : public HostCallbacks {
   public:
    void UpdateUserMetadata(const std::string&, const json&,
                            std::function<void(Status)> done) override {
      done(Status::Ok());
    }
    void UpdateAppMetadata(const std::string&, const json&,
                           std::function<void(Status)> done) override {
      done(Status::Ok());
    }
  } host;
  Outcome o = RunWith(host, R"(async function (user, context, callback) {
    try { await fetch('https://api.example.com/x'); callback(null, user, context); }
    catch (e) { callback(e); }
  })");
  EXPECT_EQ(o.kind, OutcomeKind::kDeny) << Describe(o);
  EXPECT_NE(o.error_description.find("not available"), std::string::npos) << o.error_description;
}

TEST(OutboundRules, DryRunRecordsCallsInsteadOfMakingThem) {
  auto up = EchoApi();
  ASSERT_NE(up, nullptr);
  std::string script = WithUpstream(R"(async function (user, context, callback) {
    try {
      await fetch('UPSTREAM/hook', {method: 'POST', body: 'hello'});
      callback(null, user, context);
    } catch (e) { callback(e); }
  })",
                                    *up);
  auto result = TryRules(SharedEngine(), {testing::MakeRule(script, "caller")}, DefaultInput());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(up->requests().empty());  // nothing reached the upstream
  json out = TryResultToJson(*result);
  EXPECT_EQ(out["outcome"], "deny");
  EXPECT_NE(out["error_description"].get<std::string>().find("dry run"), std::string::npos) << out;
  ASSERT_EQ(out["outbound_calls"].size(), 1u) << out;
  EXPECT_EQ(out["outbound_calls"][0]["method"], "POST");
  EXPECT_EQ(out["outbound_calls"][0]["url"], up->Url("/hook"));

  // With a canned response the rule carries on as if the call had been made.
  RecordingHostCallbacks canned;
  canned.SetFetchResponse({200, {{"content-type", "application/json"}}, R"({"ok":true})", ""});
  Outcome o = RunWith(canned, R"(async function (user, context, callback) {
    const r = await (await fetch('https://api.example.com/check')).json();
    context.idToken['https://ex.example/ok'] = r.ok;
    callback(null, user, context);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  EXPECT_EQ(o.id_token_claims["https://ex.example/ok"], true);
  ASSERT_EQ(canned.fetches().size(), 1u);
  EXPECT_EQ(canned.fetches()[0].url, "https://api.example.com/check");
}

TEST(OutboundRules, ActionsCallOutWithAxiosAndFetch) {
  auto up = EchoApi();
  ASSERT_NE(up, nullptr);
  NetworkHost host;
  Action action;
  action.id = "act_outbound";
  action.name = "enrich";
  action.code = WithUpstream(R"(const axios = require('axios');
    exports.onExecutePostLogin = async (event, api) => {
      const r = await axios.get('UPSTREAM/crm', {params: {id: event.user.user_id}});
      const f = await fetch('UPSTREAM/flags');
      api.idToken.setCustomClaim('https://ex.example/crm', [r.data.target, (await f.json()).target]);
    };)",
                             *up);
  ActionsInput input;
  input.event = {{"user", DefaultInput().user},
                 {"client", {{"client_id", "client-1"}}},
                 {"request", {{"ip", "192.0.2.1"}}},
                 {"transaction", {{"protocol", "oidc-basic-profile"}}}};
  ActionsOutcome o = SharedEngine().RunActionsSync({action}, input, host);
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << o.error_code << " " << o.debug;
  EXPECT_EQ(o.collected["idToken"]["https://ex.example/crm"],
            json({"/crm?id=auth0%7Cu1", "/flags"}));
  EXPECT_EQ(up->requests().size(), 2u);
}

TEST(OutboundRules, RequestTimeoutIsCutToTheRemainingBudget) {
  RecordingHostCallbacks canned;
  canned.SetFetchResponse({204, {}, "", ""});
  Outcome o = RunWith(canned, R"(async function (user, context, callback) {
    await fetch('https://api.example.com/a');
    await require('axios').get('https://api.example.com/b', {timeout: 50});
    callback(null, user, context);
  })");
  ASSERT_EQ(o.kind, OutcomeKind::kContinue) << Describe(o);
  ASSERT_EQ(canned.fetches().size(), 2u);
  // The shared engine's limit is 5 s: never more than that is granted.
  EXPECT_GT(canned.fetches()[0].timeout.count(), 0);
  EXPECT_LE(canned.fetches()[0].timeout.count(), 5000);
  EXPECT_EQ(canned.fetches()[1].timeout.count(), 50);
}

}  // namespace
}  // namespace gatehouse::rules
