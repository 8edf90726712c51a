# Our own targets build warning-clean; generated and third-party code is
# included as SYSTEM so its warnings do not drown ours.
function(awsd_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter
                         $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
endfunction()
