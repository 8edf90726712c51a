#pragma once

// retries/throttling.py's CubicCalculator: the CUBIC curve adaptive mode's
// send rate follows (cut by beta on a throttle, grown back towards and past
// the last rate that was throttled). Times are seconds. Not thread-safe.

namespace awsd::retries {

class CubicCalculator {
 public:
  static constexpr double kScaleConstant = 0.4;
  static constexpr double kBeta = 0.7;

  CubicCalculator(double starting_max_rate, double start_time, double scale_constant = kScaleConstant,
                  double beta = kBeta);

  // The rate the curve allows at `timestamp` after the last throttle.
  double SuccessReceived(double timestamp) const;
  // A throttle at `current_rate`: the curve restarts there; returns the cut rate.
  double ErrorReceived(double current_rate, double timestamp);

  double w_max() const { return w_max_; }
  double k() const { return k_; }
  double last_fail() const { return last_fail_; }

 private:
  double ZeroPoint() const;

  double w_max_;
  double scale_constant_;
  double beta_;
  double k_;
  double last_fail_;
};

}  // namespace awsd::retries
