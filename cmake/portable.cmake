# The portable release binary (SPEC §8 Releases; scripts/package makes the
# tarball): one Linux x86-64 artifact for Debian, Ubuntu and other glibc
# systems. It is linked from the same objects as build/pgwarden (one more link,
# no compile), as build/portable/bin/pgwarden:
# - libpg_query, RE2 and jemalloc static: Debian ships libpg_query.a,
#   libre2.a and libjemalloc_pic.a;
# - libstdc++ and libgcc static (-static-libstdc++ -static-libgcc): the
#   binary asks the system only for the C library;
# - simdjson has no static archive in Debian: its shared library is carried in
#   build/portable/lib and found through the $ORIGIN/../lib rpath. It asks the
#   system for libstdc++.so.6 (symbols from GCC 5, 2015, on) and libgcc_s.so.1,
#   which resolve to the binary's own copies first (the executable's symbols
#   come first in the lookup scope);
# - glibc 2.35 at most (Ubuntu 22.04): cmake/portable_arc4random.cpp says why;
# - libpq is not linked: `verify` dlopens libpq.so.5 (analyzer/verify/libpq.cpp).
# The test is tests/portable_test.sh.
option(PGWARDEN_PORTABLE "Also link build/portable/bin/pgwarden, the portable release binary" ON)
if(PGWARDEN_SANITIZE)
  set(PGWARDEN_PORTABLE OFF)  # the sanitizer runtimes are shared libraries of the toolchain
endif()

# $<TARGET_PROPERTY:PGW_PORTABLE> in a link interface is read on the target
# being linked: the same pgw_frontend links the shared libraries into
# build/pgwarden and the archives into the portable one.
set(PGW_IS_PORTABLE "$<BOOL:$<TARGET_PROPERTY:PGW_PORTABLE>>")
if(PGWARDEN_PORTABLE)
  find_library(PG_QUERY_STATIC NAMES libpg_query.a REQUIRED)
  find_library(RE2_STATIC NAMES libre2.a REQUIRED)
  set(PGW_PG_QUERY_LINK "$<IF:${PGW_IS_PORTABLE},${PG_QUERY_STATIC},${PG_QUERY_LIBRARY}>")
  set(PGW_RE2_LINK "$<IF:${PGW_IS_PORTABLE},${RE2_STATIC},PkgConfig::RE2>")
else()
  set(PGW_PG_QUERY_LINK ${PG_QUERY_LIBRARY})
  set(PGW_RE2_LINK PkgConfig::RE2)
endif()

function(pgw_portable_executable main_objects)
  if(NOT PGWARDEN_PORTABLE)
    return()
  endif()
  add_executable(pgwarden-portable ${main_objects} ${PROJECT_SOURCE_DIR}/cmake/portable_arc4random.cpp)
  target_link_libraries(pgwarden-portable PRIVATE pgwarden_core Threads::Threads)
  target_link_options(pgwarden-portable PRIVATE -static-libstdc++ -static-libgcc)
  if(PGWARDEN_JEMALLOC)
    # Debian's archive, built without a symbol prefix: the binary's own malloc.
    find_library(JEMALLOC_STATIC NAMES libjemalloc_pic.a REQUIRED)
    target_link_libraries(pgwarden-portable PRIVATE ${JEMALLOC_STATIC} ${CMAKE_DL_LIBS} m)
  endif()
  set_target_properties(pgwarden-portable PROPERTIES
    PGW_PORTABLE ON
    OUTPUT_NAME pgwarden
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/portable/bin
    BUILD_WITH_INSTALL_RPATH ON
    INSTALL_RPATH "\$ORIGIN/../lib")
  # The carried simdjson, under its soname (what the binary's NEEDED names).
  add_custom_command(TARGET pgwarden-portable POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/portable/lib
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:simdjson::simdjson>
            ${CMAKE_BINARY_DIR}/portable/lib/$<TARGET_SONAME_FILE_NAME:simdjson::simdjson>
    VERBATIM)
endfunction()
