# libpg_query's own version, from its shared library's file name: upstream
# numbers releases <PostgreSQL major>-<major>.<minor>.<patch> and Debian's
# soname is <PostgreSQL major><two-digit major>.<minor>
# (libpg_query.so.1504.0.0 is 15-4.0.0; https://github.com/pganalyze/libpg_query#versions).
# pg_query.h names only the PostgreSQL version (PG_VERSION).
function(pgw_pg_query_version library out)
  get_filename_component(dir "${library}" DIRECTORY)
  file(GLOB candidates "${dir}/libpg_query.so.*.*.*")
  set(version "")
  foreach(candidate IN LISTS candidates)
    get_filename_component(name "${candidate}" NAME)
    if(name MATCHES "^libpg_query\\.so\\.([0-9]+)([0-9][0-9])\\.([0-9]+)\\.([0-9]+)$")
      math(EXPR major "${CMAKE_MATCH_2}")
      set(version "${CMAKE_MATCH_1}-${major}.${CMAKE_MATCH_3}.${CMAKE_MATCH_4}")
    endif()
  endforeach()
  set(${out} "${version}" PARENT_SCOPE)
endfunction()
