# Embeds a JS file as a std::string_view: cmake -DIN= -DOUT= -DSYMBOL= -P embed_js.cmake
file(READ ${IN} content)
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\n\nnamespace gatehouse::rules::sm {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"GHJS(${content})GHJS\";\n}  // namespace gatehouse::rules::sm\n")
