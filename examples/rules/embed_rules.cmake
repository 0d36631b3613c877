# cmake -DOUT=file.cc -DINPUTS="a.js;b.js" -P embed_rules.cmake
# Writes ExampleRules() (rules/example_rules.h) with each file as a raw string.
set(body "// Generated from examples/rules/*.js by embed_rules.cmake. Do not edit.\n")
string(APPEND body "#include \"rules/example_rules.h\"\n\nnamespace gatehouse::examples {\n\n")
string(APPEND body "const std::vector<std::pair<std::string_view, std::string_view>>& ExampleRules() {\n")
string(APPEND body "  static const std::vector<std::pair<std::string_view, std::string_view>> kRules = {\n")
foreach(input ${INPUTS})
  get_filename_component(name ${input} NAME_WE)
  file(READ ${input} script)
  string(APPEND body "      {\"${name}\", R\"gh_rule(${script})gh_rule\"},\n")
endforeach()
string(APPEND body "  };\n  return kRules;\n}\n\n}  // namespace gatehouse::examples\n")
file(WRITE ${OUT} "${body}")
