#include "http/router.h"

#include <algorithm>
#include <optional>
#include <set>

#include "http/params.h"

namespace gatehouse::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Returns the number of literal segments matched, or nullopt on no match.
std::optional<int> MatchPattern(const Route& route, const std::vector<std::string>& segs,
                                std::map<std::string, std::string>& params) {
  const auto& pat = route.segments;
  int literals = 0;
  for (size_t i = 0; i < pat.size(); ++i) {
    const std::string& p = pat[i];
    if (!p.empty() && p[0] == '*' && i + 1 == pat.size()) {
      std::string rest;
      for (size_t j = i; j < segs.size(); ++j) {
        if (j > i) rest += '/';
        rest += segs[j];
      }
      params[p.substr(1)] = rest;
      return literals;
    }
    if (i >= segs.size()) return std::nullopt;
    if (!p.empty() && p[0] == ':') {
      if (segs[i].empty()) return std::nullopt;
      params[p.substr(1)] = segs[i];
    } else {
      if (p != segs[i]) return std::nullopt;
      ++literals;
    }
  }
  if (pat.size() != segs.size()) return std::nullopt;
  return literals;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  r.options = options;
  AddRoute(std::move(r));
}

void Router::AddAsync(std::string method, std::string pattern, AsyncHandler handler,
                      RouteOptions options) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.async_handler = std::move(handler);
  r.options = options;
  AddRoute(std::move(r));
}

void Router::AddRoute(Route route) {
  route.segments = Split(route.pattern);
  routes_.push_back(std::move(route));
}

Router::Match Router::Lookup(std::string_view method, std::string_view raw_path) const {
  Match result;
  std::vector<std::string> segs;
  for (const std::string& raw : Split(raw_path)) {
    auto decoded = PercentDecode(raw);
    if (!decoded.ok()) return result;
    segs.push_back(std::move(decoded).value());
  }

  struct Candidate {
    const Route* route;
    int literals;
    std::map<std::string, std::string> params;
  };
  std::optional<Candidate> exact, head_fallback;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    auto literals = MatchPattern(route, segs, params);
    if (!literals) continue;
    allowed.insert(route.method);
    auto consider = [&](std::optional<Candidate>& best) {
      if (!best || *literals > best->literals) best = Candidate{&route, *literals, params};
    };
    if (route.method == method) consider(exact);
    if (method == "HEAD" && route.method == "GET") consider(head_fallback);
  }
  if (!exact) exact = std::move(head_fallback);
  if (exact) {
    result.kind = Match::Kind::kFound;
    result.route = exact->route;
    result.path_params = std::move(exact->params);
    return result;
  }
  if (allowed.empty()) return result;
  if (allowed.count("GET")) allowed.insert("HEAD");
  result.kind = Match::Kind::kMethodNotAllowed;
  for (const std::string& m : allowed) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += m;
  }
  return result;
}

}  // namespace gatehouse::http
