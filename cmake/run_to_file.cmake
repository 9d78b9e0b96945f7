# cmake -DOUT=file -DCOMMAND="prog;arg;..." -P run_to_file.cmake: the
# command's standard output into OUT, a failure fails the build.
execute_process(COMMAND ${COMMAND} OUTPUT_FILE "${OUT}.tmp" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE "${OUT}.tmp")
  message(FATAL_ERROR "${COMMAND} failed (${status})")
endif()
file(RENAME "${OUT}.tmp" "${OUT}")
