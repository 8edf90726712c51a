#include "daemon/endpoints/pattern_matcher.h"

#include <bitset>
#include <string>
#include <utility>

#include "absl/status/status.h"

namespace awsd::endpoints {

using ByteSet = std::bitset<256>;

struct PatternMatcher::Instruction {
  enum class Op { kBytes, kSplit, kJump, kAtStart, kAtEnd, kAtAbsoluteEnd, kMatch };
  Op op = Op::kMatch;
  int x = 0;  // kSplit / kJump target
  int y = 0;  // kSplit second target
  ByteSet bytes;
};

namespace {

using Instruction = PatternMatcher::Instruction;
using Op = Instruction::Op;

Instruction Make(Op op) {
  Instruction instruction;
  instruction.op = op;
  return instruction;
}

// Enough for any region pattern; keeps `x{1000}{1000}` from eating memory.
constexpr size_t kMaxProgram = 20000;
constexpr int kMaxNesting = 100;

ByteSet WordBytes() {
  ByteSet set;
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80) {
      set.set(c);
    }
  }
  return set;
}

ByteSet DigitBytes() {
  ByteSet set;
  for (int c = '0'; c <= '9'; ++c) set.set(c);
  return set;
}

ByteSet SpaceBytes() {
  ByteSet set;
  for (char c : std::string_view(" \t\n\r\f\v")) set.set(static_cast<unsigned char>(c));
  return set;
}

// The parsed pattern.
struct Node {
  enum class Kind { kEmpty, kBytes, kAtStart, kAtEnd, kAtAbsoluteEnd, kConcat, kAlternation, kRepeat };
  Kind kind = Kind::kEmpty;
  ByteSet bytes;
  std::vector<Node> children;
  int min = 0;
  int max = -1;  // -1: unbounded
};

class Parser {
 public:
  explicit Parser(std::string_view pattern) : pattern_(pattern) {}

  absl::StatusOr<Node> Parse() {
    absl::StatusOr<Node> node = ParseAlternation(0);
    if (!node.ok()) return node;
    if (pos_ != pattern_.size()) return Error("unbalanced parenthesis");
    return node;
  }

 private:
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError("unsupported regular expression \"" + std::string(pattern_) +
                                      "\": " + std::string(what) + " at position " + std::to_string(pos_));
  }

  bool AtEnd() const { return pos_ >= pattern_.size(); }
  char Peek() const { return pattern_[pos_]; }

  absl::StatusOr<Node> ParseAlternation(int depth) {
    if (depth > kMaxNesting) return Error("groups nested too deeply");
    Node alternation;
    alternation.kind = Node::Kind::kAlternation;
    while (true) {
      absl::StatusOr<Node> branch = ParseConcatenation(depth);
      if (!branch.ok()) return branch;
      alternation.children.push_back(*std::move(branch));
      if (AtEnd() || Peek() != '|') break;
      ++pos_;
    }
    if (alternation.children.size() == 1) return std::move(alternation.children.front());
    return alternation;
  }

  absl::StatusOr<Node> ParseConcatenation(int depth) {
    Node concat;
    concat.kind = Node::Kind::kConcat;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      absl::StatusOr<Node> atom = ParseAtom(depth);
      if (!atom.ok()) return atom;
      absl::StatusOr<Node> repeated = ParseQuantifiers(*std::move(atom));
      if (!repeated.ok()) return repeated;
      concat.children.push_back(*std::move(repeated));
    }
    if (concat.children.empty()) return Node();
    if (concat.children.size() == 1) return std::move(concat.children.front());
    return concat;
  }

  // `{n}`, `{n,}`, `{,m}`, `{n,m}` at pos_ (which is at '{'); false when the
  // text is no quantifier, which Python then reads as a literal '{'.
  bool ParseBraces(int* min, int* max) {
    size_t p = pos_ + 1;
    const auto number = [&](int* out) {
      const size_t start = p;
      long value = 0;
      while (p < pattern_.size() && pattern_[p] >= '0' && pattern_[p] <= '9') {
        value = value * 10 + (pattern_[p] - '0');
        if (value > 100000) value = 100000;
        ++p;
      }
      *out = static_cast<int>(value);
      return p > start;
    };
    int low = 0, high = -1;
    const bool has_low = number(&low);
    if (p < pattern_.size() && pattern_[p] == '}') {
      if (!has_low) return false;
      high = low;
    } else if (p < pattern_.size() && pattern_[p] == ',') {
      ++p;
      int value = 0;
      if (number(&value)) high = value;
      if (p >= pattern_.size() || pattern_[p] != '}') return false;
    } else {
      return false;
    }
    pos_ = p + 1;
    *min = low;
    *max = high;
    return true;
  }

  absl::StatusOr<Node> ParseQuantifiers(Node atom) {
    while (!AtEnd()) {
      int min = 0, max = -1;
      const char c = Peek();
      if (c == '*') {
        ++pos_;
      } else if (c == '+') {
        min = 1;
        ++pos_;
      } else if (c == '?') {
        max = 1;
        ++pos_;
      } else if (c == '{') {
        if (!ParseBraces(&min, &max)) break;
      } else {
        break;
      }
      if (max != -1 && max < min) return Error("min repeat greater than max repeat");
      if (atom.kind == Node::Kind::kEmpty || atom.kind == Node::Kind::kAtStart || atom.kind == Node::Kind::kAtEnd ||
          atom.kind == Node::Kind::kAtAbsoluteEnd || atom.kind == Node::Kind::kRepeat) {
        return Error("nothing to repeat");
      }
      // A lazy quantifier matches the same texts; a possessive one may not.
      if (!AtEnd() && Peek() == '?') ++pos_;
      if (!AtEnd() && Peek() == '+') return Error("possessive quantifiers are not supported");
      Node repeat;
      repeat.kind = Node::Kind::kRepeat;
      repeat.min = min;
      repeat.max = max;
      repeat.children.push_back(std::move(atom));
      atom = std::move(repeat);
    }
    return atom;
  }

  static Node Bytes(const ByteSet& set) {
    Node node;
    node.kind = Node::Kind::kBytes;
    node.bytes = set;
    return node;
  }

  // One escape after a backslash (pos_ is past the backslash). `in_class`:
  // \A, \Z and \b mean other things or nothing inside [...].
  absl::StatusOr<ByteSet> ParseEscapedSet(bool in_class, Node::Kind* anchor) {
    if (AtEnd()) return Error("bad escape (end of pattern)");
    const char c = pattern_[pos_++];
    ByteSet set;
    switch (c) {
      case 'w':
        return WordBytes();
      case 'W':
        return ~WordBytes();
      case 'd':
        return DigitBytes();
      case 'D':
        return ~DigitBytes();
      case 's':
        return SpaceBytes();
      case 'S':
        return ~SpaceBytes();
      case 'n':
        set.set('\n');
        return set;
      case 't':
        set.set('\t');
        return set;
      case 'r':
        set.set('\r');
        return set;
      case 'f':
        set.set('\f');
        return set;
      case 'v':
        set.set('\v');
        return set;
      case 'a':
        set.set('\a');
        return set;
      case 'x': {
        if (pos_ + 2 > pattern_.size()) return Error("bad \\x escape");
        int value = 0;
        for (int i = 0; i < 2; ++i) {
          const char h = pattern_[pos_++];
          value *= 16;
          if (h >= '0' && h <= '9') {
            value += h - '0';
          } else if (h >= 'a' && h <= 'f') {
            value += h - 'a' + 10;
          } else if (h >= 'A' && h <= 'F') {
            value += h - 'A' + 10;
          } else {
            return Error("bad \\x escape");
          }
        }
        if (value >= 0x80) return Error("\\x escapes above 0x7f are not supported");
        set.set(value);
        return set;
      }
      case 'A':
      case 'Z':
        if (in_class || anchor == nullptr) return Error("bad escape in a character class");
        *anchor = c == 'A' ? Node::Kind::kAtStart : Node::Kind::kAtAbsoluteEnd;
        return set;
      default:
        // Python accepts an escaped non-letter, non-digit as itself.
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          return Error(std::string("unsupported escape \\") + c);
        }
        set.set(static_cast<unsigned char>(c));
        return set;
    }
  }

  absl::StatusOr<Node> ParseClass() {
    // pos_ is past '['.
    bool negate = false;
    if (!AtEnd() && Peek() == '^') {
      negate = true;
      ++pos_;
    }
    ByteSet set;
    bool first = true;
    while (true) {
      if (AtEnd()) return Error("unterminated character set");
      char c = Peek();
      if (c == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      ByteSet item;
      int low = -1;  // a single byte, which may start a range
      if (c == '\\') {
        ++pos_;
        absl::StatusOr<ByteSet> escaped = ParseEscapedSet(true, nullptr);
        if (!escaped.ok()) return escaped.status();
        item = *escaped;
        if (item.count() == 1) {
          for (int b = 0; b < 256; ++b) {
            if (item.test(b)) low = b;
          }
        }
      } else {
        ++pos_;
        low = static_cast<unsigned char>(c);
        item.set(low);
      }
      if (low >= 0 && pos_ + 1 < pattern_.size() && Peek() == '-' && pattern_[pos_ + 1] != ']') {
        ++pos_;
        int high = -1;
        if (Peek() == '\\') {
          ++pos_;
          absl::StatusOr<ByteSet> escaped = ParseEscapedSet(true, nullptr);
          if (!escaped.ok()) return escaped.status();
          if (escaped->count() != 1) return Error("bad character range");
          for (int b = 0; b < 256; ++b) {
            if (escaped->test(b)) high = b;
          }
        } else {
          high = static_cast<unsigned char>(pattern_[pos_++]);
        }
        if (high < low) return Error("bad character range");
        for (int b = low; b <= high; ++b) item.set(b);
      }
      set |= item;
    }
    return Bytes(negate ? ~set : set);
  }

  absl::StatusOr<Node> ParseAtom(int depth) {
    const char c = pattern_[pos_++];
    switch (c) {
      case '(': {
        if (!AtEnd() && Peek() == '?') {
          if (pos_ + 1 < pattern_.size() && pattern_[pos_ + 1] == ':') {
            pos_ += 2;
          } else if (pos_ + 2 < pattern_.size() && pattern_[pos_ + 1] == 'P' && pattern_[pos_ + 2] == '<') {
            const size_t close = pattern_.find('>', pos_);
            if (close == std::string_view::npos) return Error("bad group name");
            pos_ = close + 1;
          } else {
            return Error("lookarounds and inline flags are not supported");
          }
        }
        absl::StatusOr<Node> inner = ParseAlternation(depth + 1);
        if (!inner.ok()) return inner;
        if (AtEnd() || Peek() != ')') return Error("missing ), unterminated subpattern");
        ++pos_;
        // Wrapped, so that a group may be repeated whatever it holds.
        Node group;
        group.kind = Node::Kind::kConcat;
        group.children.push_back(*std::move(inner));
        return group;
      }
      case ')':
        return Error("unbalanced parenthesis");
      case '[':
        return ParseClass();
      case '.':
        return Bytes(~ByteSet().set('\n'));
      case '^': {
        Node node;
        node.kind = Node::Kind::kAtStart;
        return node;
      }
      case '$': {
        Node node;
        node.kind = Node::Kind::kAtEnd;
        return node;
      }
      case '*':
      case '+':
      case '?':
        return Error("nothing to repeat");
      case '\\': {
        Node::Kind anchor = Node::Kind::kEmpty;
        absl::StatusOr<ByteSet> set = ParseEscapedSet(false, &anchor);
        if (!set.ok()) return set.status();
        if (anchor != Node::Kind::kEmpty) {
          Node node;
          node.kind = anchor;
          return node;
        }
        return Bytes(*set);
      }
      default:
        return Bytes(ByteSet().set(static_cast<unsigned char>(c)));
    }
  }

  std::string_view pattern_;
  size_t pos_ = 0;
};

class Emitter {
 public:
  absl::Status Emit(const Node& node, int depth = 0) {
    if (depth > kMaxNesting * 2) return absl::InvalidArgumentError("regular expression nested too deeply");
    if (program_.size() > kMaxProgram) return absl::InvalidArgumentError("regular expression too large");
    switch (node.kind) {
      case Node::Kind::kEmpty:
        return absl::OkStatus();
      case Node::Kind::kBytes: {
        Instruction instruction = Make(Op::kBytes);
        instruction.bytes = node.bytes;
        program_.push_back(instruction);
        return absl::OkStatus();
      }
      case Node::Kind::kAtStart:
        program_.push_back(Make(Op::kAtStart));
        return absl::OkStatus();
      case Node::Kind::kAtEnd:
        program_.push_back(Make(Op::kAtEnd));
        return absl::OkStatus();
      case Node::Kind::kAtAbsoluteEnd:
        program_.push_back(Make(Op::kAtAbsoluteEnd));
        return absl::OkStatus();
      case Node::Kind::kConcat:
        for (const Node& child : node.children) {
          if (absl::Status status = Emit(child, depth + 1); !status.ok()) return status;
        }
        return absl::OkStatus();
      case Node::Kind::kAlternation: {
        // split L1, next; L1: a; jmp end; next: split L2, next2; ...
        std::vector<size_t> jumps;
        for (size_t i = 0; i < node.children.size(); ++i) {
          const bool last = i + 1 == node.children.size();
          size_t split = 0;
          if (!last) {
            split = program_.size();
            program_.push_back(Make(Op::kSplit));
            program_[split].x = static_cast<int>(program_.size());
          }
          if (absl::Status status = Emit(node.children[i], depth + 1); !status.ok()) return status;
          if (!last) {
            jumps.push_back(program_.size());
            program_.push_back(Make(Op::kJump));
            program_[split].y = static_cast<int>(program_.size());
          }
        }
        for (size_t jump : jumps) program_[jump].x = static_cast<int>(program_.size());
        return absl::OkStatus();
      }
      case Node::Kind::kRepeat: {
        const Node& body = node.children.front();
        for (int i = 0; i < node.min; ++i) {
          if (absl::Status status = Emit(body, depth + 1); !status.ok()) return status;
          if (program_.size() > kMaxProgram) return absl::InvalidArgumentError("regular expression too large");
        }
        if (node.max == -1) {
          const size_t split = program_.size();
          program_.push_back(Make(Op::kSplit));
          program_[split].x = static_cast<int>(program_.size());
          if (absl::Status status = Emit(body, depth + 1); !status.ok()) return status;
          Instruction jump = Make(Op::kJump);
          jump.x = static_cast<int>(split);
          program_.push_back(jump);
          program_[split].y = static_cast<int>(program_.size());
          return absl::OkStatus();
        }
        std::vector<size_t> splits;
        for (int i = node.min; i < node.max; ++i) {
          splits.push_back(program_.size());
          program_.push_back(Make(Op::kSplit));
          program_[splits.back()].x = static_cast<int>(program_.size());
          if (absl::Status status = Emit(body, depth + 1); !status.ok()) return status;
          if (program_.size() > kMaxProgram) return absl::InvalidArgumentError("regular expression too large");
        }
        for (size_t split : splits) program_[split].y = static_cast<int>(program_.size());
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  }

  std::vector<Instruction> Finish() {
    program_.push_back(Make(Op::kMatch));
    return std::move(program_);
  }

 private:
  std::vector<Instruction> program_;
};

// The threads alive at one position: a sparse set of program counters.
class ThreadList {
 public:
  explicit ThreadList(size_t size) : dense_(size), sparse_(size), count_(0) {}
  bool Contains(int pc) const {
    const size_t index = sparse_[pc];
    return index < count_ && dense_[index] == pc;
  }
  void Add(int pc) {
    sparse_[pc] = count_;
    dense_[count_++] = pc;
  }
  void Clear() { count_ = 0; }
  size_t size() const { return count_; }
  int operator[](size_t i) const { return dense_[i]; }

 private:
  std::vector<int> dense_;
  std::vector<size_t> sparse_;
  size_t count_;
};

}  // namespace

absl::StatusOr<PatternMatcher> PatternMatcher::Compile(std::string_view pattern) {
  Parser parser(pattern);
  absl::StatusOr<Node> node = parser.Parse();
  if (!node.ok()) return node.status();
  Emitter emitter;
  if (absl::Status status = emitter.Emit(*node); !status.ok()) return status;
  PatternMatcher matcher;
  matcher.program_ = std::make_shared<const std::vector<Instruction>>(emitter.Finish());
  return matcher;
}

bool PatternMatcher::MatchesAtStart(std::string_view text) const {
  if (program_ == nullptr) return false;
  const std::vector<Instruction>& program = *program_;
  ThreadList current(program.size()), next(program.size());
  std::vector<int> stack;
  bool matched = false;

  // Follows jumps, splits and assertions from `pc` at position `pos`.
  const auto add = [&](ThreadList& list, int start, size_t pos) {
    stack.push_back(start);
    while (!stack.empty()) {
      const int pc = stack.back();
      stack.pop_back();
      if (list.Contains(pc)) continue;
      list.Add(pc);
      const Instruction& instruction = program[pc];
      switch (instruction.op) {
        case Op::kJump:
          stack.push_back(instruction.x);
          break;
        case Op::kSplit:
          stack.push_back(instruction.y);
          stack.push_back(instruction.x);
          break;
        case Op::kAtStart:
          if (pos == 0) stack.push_back(pc + 1);
          break;
        case Op::kAtEnd:
          if (pos == text.size() || (pos + 1 == text.size() && text[pos] == '\n')) stack.push_back(pc + 1);
          break;
        case Op::kAtAbsoluteEnd:
          if (pos == text.size()) stack.push_back(pc + 1);
          break;
        case Op::kMatch:
          matched = true;
          break;
        case Op::kBytes:
          break;
      }
    }
  };

  add(current, 0, 0);
  for (size_t pos = 0; pos <= text.size(); ++pos) {
    if (matched) return true;
    if (current.size() == 0 || pos == text.size()) break;
    next.Clear();
    const unsigned char byte = static_cast<unsigned char>(text[pos]);
    for (size_t i = 0; i < current.size(); ++i) {
      const int pc = current[i];
      if (program[pc].op == Op::kBytes && program[pc].bytes.test(byte)) add(next, pc + 1, pos + 1);
    }
    std::swap(current, next);
  }
  return matched;
}

}  // namespace awsd::endpoints
