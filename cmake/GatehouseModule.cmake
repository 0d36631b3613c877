# gatehouse_module(NAME SOURCES a.cc b.cc DEPS gh_core ... [PUBLIC_LIBS x] [PRIVATE_LIBS y])
# Declares the static library gh_<NAME> for src/<NAME>.
#
# Every module gets its own include root, build/include/<NAME>/, holding one
# symlink <NAME> -> src/<NAME>. Headers are included as "<module>/<file>.h", and
# a module sees another module's headers only when it links that module (the
# include root travels along target_link_libraries). So an #include across an
# edge that ARCHITECTURE.md does not allow fails to compile, not just to link.
function(gatehouse_module NAME)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(root ${PROJECT_BINARY_DIR}/include/${NAME})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${NAME} ${root}/${NAME} SYMBOLIC)
  add_library(gh_${NAME} STATIC ${M_SOURCES})
  target_include_directories(gh_${NAME} PUBLIC ${root})
  target_link_libraries(gh_${NAME} PUBLIC ${M_DEPS} ${M_PUBLIC_LIBS} PRIVATE ${M_PRIVATE_LIBS})
endfunction()

# gatehouse_test(NAME SOURCES ... DEPS ...): one GoogleTest binary, registered with CTest.
function(gatehouse_test NAME)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${NAME} ${T_SOURCES})
  target_link_libraries(${NAME} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest GTest::gtest_main)
  target_include_directories(${NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  gtest_discover_tests(${NAME} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()
