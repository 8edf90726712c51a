#include "daemon/common/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <set>
#include <thread>

namespace awsd {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskOnItsOwnThreads) {
  WorkerPool pool(2);
  EXPECT_EQ(pool.size(), 2u);
  constexpr int kTasks = 100;
  std::atomic<int> ran{0};
  std::latch done(kTasks);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  for (int i = 0; i < kTasks; ++i) {
    pool.Submit([&] {
      ++ran;
      {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
      done.count_down();
    });
  }
  done.wait();
  EXPECT_EQ(ran.load(), kTasks);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  EXPECT_LE(threads.size(), 2u);
}

TEST(WorkerPoolTest, DestructionFinishesQueuedTasks) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(1);
    for (int i = 0; i < 50; ++i) pool.Submit([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 50);
}

}  // namespace
}  // namespace awsd
