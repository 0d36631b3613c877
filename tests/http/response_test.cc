#include "http/response.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gatehouse::http {
namespace {

TEST(Response, Json) {
  Response r = Response::Json(201, {{"a", 1}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.GetHeader("content-type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body)["a"], 1);
}

TEST(Response, HtmlTextRedirect) {
  EXPECT_EQ(Response::Html(200, "<p>").GetHeader("Content-Type"), "text/html; charset=utf-8");
  Response t = Response::Text(404, "nope");
  EXPECT_EQ(t.status, 404);
  EXPECT_EQ(t.body, "nope");
  EXPECT_EQ(t.GetHeader("Content-Type"), "text/plain; charset=utf-8");
  Response r = Response::Redirect("https://rp.example/cb?code=x");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.GetHeader("location"), "https://rp.example/cb?code=x");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(Response::Redirect("/x", 303).status, 303);
}

TEST(Response, SetHeaderReplacesCaseInsensitively) {
  Response r;
  r.AddHeader("X-A", "1");
  r.AddHeader("x-a", "2");
  r.SetHeader("X-a", "3");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.GetHeader("x-A"), "3");
  r.RemoveHeader("X-A");
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(r.GetHeader("x-a"), "");
}

TEST(Response, CookiesAccumulate) {
  Response r;
  r.AddCookie({.name = "a", .value = "1"});
  r.AddCookie({.name = "b", .value = "2"});
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].first, "Set-Cookie");
  EXPECT_EQ(r.headers[1].second, "b=2; Path=/; HttpOnly; SameSite=Lax");
}

TEST(Response, ErrorShape) {
  Response r = Response::Error(413, "request_too_large", "too big \"really\"");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"], "request_too_large");
  EXPECT_EQ(j["error_description"], "too big \"really\"");
  EXPECT_EQ(j.size(), 2u);
}

}  // namespace
}  // namespace gatehouse::http
