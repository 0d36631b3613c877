#include "pages/renderer.h"

#include <mstch/mstch.hpp>

#include "core/base64url.h"
#include "pages/embedded_templates.h"

namespace gatehouse::pages {
namespace {

const std::string& Template(const std::string& name) {
  return internal::EmbeddedTemplates().at(name);
}

// Stands in for the stylesheet in a spliced page (see Render); not valid
// mustache or HTML, and a page's own text never contains it.
constexpr std::string_view kStyleMark = "\x01gatehouse-style\x01";

// `text` with every "{{> partial}}" replaced by that template's own expanded
// text (the "style" partial by kStyleMark when `mark_style`). The templates are
// fixed at build time, so this happens once per page.
std::string ExpandPartials(const std::string& text, bool mark_style, int depth = 0) {
  if (depth > 4) return text;  // our templates nest two deep; no cycles
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t open = text.find("{{>", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    std::string name = text.substr(open + 3, close - open - 3);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    size_t end = close + 2;
    // A tag alone on its line is "standalone" (mustache spec): the line's
    // whitespace and line break go with it, as mstch renders partials.
    const size_t newline_before = text.rfind('\n', open);
    const size_t line_start = newline_before == std::string::npos ? 0 : newline_before + 1;
    size_t line_end = text.find('\n', end);
    auto blank = [&](size_t from, size_t to) {
      return text.find_first_not_of(" \t\r", from) >= to;
    };
    size_t copy_to = open;
    if (line_start >= pos && blank(line_start, open) &&
        blank(end, line_end == std::string::npos ? text.size() : line_end)) {
      copy_to = line_start;
      end = line_end == std::string::npos ? text.size() : line_end + 1;
    }
    out.append(text, pos, copy_to - pos);
    if (mark_style && name == "style") {
      out += kStyleMark;
    } else {
      out += ExpandPartials(Template(name), mark_style, depth + 1);
    }
    pos = end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

// A page with its partials spliced in, cut where the stylesheet goes: the
// 2.5 KB stylesheet holds no tags, so it is pasted between the two rendered
// halves instead of being tokenized by mstch on every render (no section of
// ours spans the cut; renderer_test checks every page renders as mstch would).
struct SplicedPage {
  std::string before_style;
  std::string after_style;  // empty with has_style false
  bool has_style = false;
};

const SplicedPage& Spliced(const std::string& name) {
  static const std::map<std::string, SplicedPage> pages = [] {
    std::map<std::string, SplicedPage> out;
    for (const auto& [page, text] : internal::EmbeddedTemplates()) {
      std::string spliced = ExpandPartials(text, /*mark_style=*/true);
      SplicedPage& p = out[page];
      size_t mark = spliced.find(kStyleMark);
      if (mark == std::string::npos) {
        p.before_style = std::move(spliced);
        continue;
      }
      p.has_style = true;
      p.before_style = spliced.substr(0, mark);
      p.after_style = spliced.substr(mark + kStyleMark.size());
    }
    return out;
  }();
  return pages.at(name);
}

std::string HexToBytes(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return out;
}

}  // namespace

namespace internal {

std::string RenderPage(const std::string& name, const mstch::map& context) {
  const SplicedPage& page = Spliced(name);
  std::string out = mstch::render(page.before_style, context);
  if (!page.has_style) return out;
  out += Template("style");
  out += mstch::render(page.after_style, context);
  return out;
}

const std::string& ExpandedTemplate(const std::string& name) {
  static const std::map<std::string, std::string> expanded = [] {
    std::map<std::string, std::string> out;
    for (const auto& [page, text] : EmbeddedTemplates()) {
      out[page] = ExpandPartials(text, /*mark_style=*/false);
    }
    return out;
  }();
  return expanded.at(name);
}
}  // namespace internal

std::string Renderer::RenderLogin(const LoginView& view) const {
  mstch::array connections;
  for (const auto& link : view.connections) {
    connections.push_back(mstch::map{{"display_name", link.display_name}, {"url", link.url}});
  }
  return internal::RenderPage("login", mstch::map{{"title", std::string("Log in")},
                                                  {"client_name", view.client_name},
                                                  {"transaction_id", view.transaction_id},
                                                  {"csrf_token", view.csrf_token},
                                                  {"identifier", view.identifier},
                                                  {"error", view.error},
                                                  {"signup_url", view.signup_url},
                                                  {"has_connections", !view.connections.empty()},
                                                  {"connections", connections}});
}

std::string Renderer::RenderSignup(const SignupView& view) const {
  return internal::RenderPage("signup",
                              mstch::map{{"title", std::string("Sign up")},
                                         {"client_name", view.client_name},
                                         {"transaction_id", view.transaction_id},
                                         {"csrf_token", view.csrf_token},
                                         {"email", view.email},
                                         {"given_name", view.given_name},
                                         {"family_name", view.family_name},
                                         {"error", view.error},
                                         {"login_url", view.login_url},
                                         {"min_password_length", view.min_password_length}});
}

std::string Renderer::RenderError(const ErrorView& view) const {
  return internal::RenderPage("error", mstch::map{{"title", view.title},
                                                  {"heading", view.title},
                                                  {"error_code", view.error_code},
                                                  {"description", view.description},
                                                  {"request_id", view.request_id}});
}

std::string Renderer::RenderLoggedOut() const {
  return internal::RenderPage("logged_out", mstch::map{{"title", std::string("Logged out")}});
}

const std::string& Renderer::StyleSourceHash() {
  static const std::string hash =
      "'sha256-" + Base64Encode(HexToBytes(internal::kStyleSha256Hex)) + "'";
  return hash;
}

}  // namespace gatehouse::pages
