#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/support/daemon_process.h"

namespace awsd::test_support {

// A GoogleTest fixture whose suite shares one real awsd on a temporary
// socket, started before the first test and stopped after the last.
class SharedDaemonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    DaemonProcess::Options options;
    options.args = {"--socket", socket()};
    daemon_ = new DaemonProcess(options, dir_->path() / "awsd.log");
    ASSERT_TRUE(daemon_->WaitUntilServing(socket())) << daemon_->Log();
  }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  static std::string socket() { return (dir_->path() / "awsd.sock").string(); }
  static const TempDir& dir() { return *dir_; }

 private:
  static inline TempDir* dir_ = nullptr;
  static inline DaemonProcess* daemon_ = nullptr;
};

}  // namespace awsd::test_support
