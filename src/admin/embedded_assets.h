#pragma once
// Internal to admin: the dashboard's files, generated at build time by
// embed_assets.cmake (the esbuild bundle, the stylesheet, index.html).

#include <map>
#include <string>

namespace gatehouse::admin::internal {

// File name ("app.js") -> contents.
const std::map<std::string, std::string>& EmbeddedAssets();

}  // namespace gatehouse::admin::internal
