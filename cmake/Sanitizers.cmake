# AWSD_SANITIZE=address builds everything with ASan+UBSan; =thread with TSan.
if(AWSD_SANITIZE STREQUAL "address")
  # GCC 12 under ASan reports -Wmaybe-uninitialized inside libstdc++'s
  # <regex> and <functional>, false positives in system headers.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
                      -Wno-maybe-uninitialized)
  add_link_options(-fsanitize=address,undefined)
elseif(AWSD_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT AWSD_SANITIZE STREQUAL "")
  message(FATAL_ERROR "AWSD_SANITIZE must be '', 'address' or 'thread', not '${AWSD_SANITIZE}'")
endif()
