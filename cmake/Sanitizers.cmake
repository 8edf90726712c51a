# AWSD_SANITIZE=address builds everything with ASan+UBSan; =thread with TSan.
# AWSD_FUZZ=ON (clang, with AWSD_SANITIZE=address) also instruments every
# library for libFuzzer and builds the targets in fuzz/, so one sanitizer
# build serves the test suite and the fuzzers.
option(AWSD_FUZZ "Build the libFuzzer targets in fuzz/ (clang and AWSD_SANITIZE=address)" OFF)

if(AWSD_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 under ASan reports -Wmaybe-uninitialized inside libstdc++'s
    # <regex> and <functional>, false positives in system headers.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=address,undefined)
elseif(AWSD_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT AWSD_SANITIZE STREQUAL "")
  message(FATAL_ERROR "AWSD_SANITIZE must be '', 'address' or 'thread', not '${AWSD_SANITIZE}'")
endif()

if(AWSD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT AWSD_SANITIZE STREQUAL "address")
    message(FATAL_ERROR "AWSD_FUZZ needs clang and AWSD_SANITIZE=address")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
