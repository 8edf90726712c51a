#pragma once

namespace awsd::common {

// Hands the heap's free pages back to the kernel (glibc's malloc_trim).
// Loading a model or endpoints file parses megabytes of JSON that are freed
// at once; glibc keeps such pages for reuse, so a daemon that loaded a few
// files would keep their peak as its size. Called once after each of those
// loads (on the first call that needs the file), never per call.
void ReturnFreedHeapToSystem();

}  // namespace awsd::common
