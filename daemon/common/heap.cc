#include "daemon/common/heap.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace awsd::common {

void ReturnFreedHeapToSystem() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace awsd::common
