# cmake --install and cpack (SPEC §8 Releases). The man page and the shell
# completions are written by the built binary (`pgwarden manpage`,
# `pgwarden completion SHELL`), so they say what its --help and `rules` say.
include(GNUInstallDirs)

set(PGW_SHARE ${CMAKE_CURRENT_BINARY_DIR}/share)
set(PGW_MANPAGE ${PGW_SHARE}/pgwarden.1)
set(PGW_BASH ${PGW_SHARE}/pgwarden.bash)
set(PGW_ZSH ${PGW_SHARE}/_pgwarden)
set(PGW_FISH ${PGW_SHARE}/pgwarden.fish)
function(pgw_generate out)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PGW_SHARE}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DCOMMAND=$<TARGET_FILE:pgwarden>;${ARGN}"
            -P ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
    DEPENDS pgwarden ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake VERBATIM)
endfunction()
pgw_generate(${PGW_MANPAGE} manpage)
pgw_generate(${PGW_BASH} completion bash)
pgw_generate(${PGW_ZSH} completion zsh)
pgw_generate(${PGW_FISH} completion fish)
add_custom_target(pgwarden_share ALL DEPENDS ${PGW_MANPAGE} ${PGW_BASH} ${PGW_ZSH} ${PGW_FISH})

# zsh looks in <prefix>/share/zsh/site-functions for local installs, Debian's
# zsh (and so the .deb, prefix /usr) in /usr/share/zsh/vendor-completions. The
# prefix is only known at install time (cpack installs into /usr).
set(PGWARDEN_ZSH_COMPLETION_DIR "" CACHE STRING
  "Where zsh completions go, relative to the install prefix (default: by prefix)")
install(TARGETS pgwarden RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PGW_MANPAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# bash-completion loads completions/<command> on first use.
install(FILES ${PGW_BASH} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME pgwarden)
install(CODE "
  set(pgw_zsh_dir \"${PGWARDEN_ZSH_COMPLETION_DIR}\")
  if(NOT pgw_zsh_dir AND CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(pgw_zsh_dir ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
  elseif(NOT pgw_zsh_dir)
    set(pgw_zsh_dir ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
  endif()
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/\${pgw_zsh_dir}\" TYPE FILE FILES \"${PGW_ZSH}\")")
install(FILES ${PGW_FISH} DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# The .deb: Depends computed by dpkg-shlibdeps from the binary's NEEDED
# entries (the Debian packages of libpg_query, simdjson, RE2, libstdc++, libc).
# libpq is dlopen'ed by `verify` only, so it is a recommendation.
set(CPACK_PACKAGE_NAME pgwarden)
set(CPACK_PACKAGE_VENDOR pgwarden)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "static analyzer and verifier for PostgreSQL schema migrations")
set(CPACK_PACKAGE_CONTACT "pgwarden maintainers <pgwarden@users.noreply.github.com>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libpq5")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
