#pragma once
// Internal to pages: the templates compiled into the library by
// embed_templates.cmake (the generated .cc lives in the build tree).

#include <map>
#include <mstch/mstch.hpp>
#include <string>

namespace gatehouse::pages::internal {

// Template name (file name without extension, e.g. "login", "style") -> text.
const std::map<std::string, std::string>& EmbeddedTemplates();

// The template `name` with its partials spliced in (defined in renderer.cc;
// computed once). Renders exactly as mstch renders `name` with
// EmbeddedTemplates() as partials. Throws std::out_of_range for unknown names.
const std::string& ExpandedTemplate(const std::string& name);

// Renders page `name` (defined in renderer.cc) exactly as mstch renders it
// with EmbeddedTemplates() as partials, without re-tokenizing the stylesheet.
std::string RenderPage(const std::string& name, const mstch::map& context);

// Lowercase hex SHA-256 of templates/style.css exactly as embedded.
extern const char* const kStyleSha256Hex;

}  // namespace gatehouse::pages::internal
