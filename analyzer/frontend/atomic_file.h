// Writing a file whole or not at all: every file pgwarden writes (--output,
// init's .pgwarden.json, the git hook, pgwarden.sum, the baseline) goes to a
// temporary file beside it, is flushed to disk and checked, then renamed over
// the target. A full disk, a quota or a crash leaves the old file (or none),
// never a truncated one, and two runs writing one file leave one of the two.
#pragma once

#include <sys/types.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace pgw {

struct WriteMode {
    mode_t mode = 0666;       // permissions of a new file, before the umask
    bool keep_mode = true;    // an existing file keeps its permissions
    bool follow_link = true;  // a symbolic link is written through (else replaced)
};

class AtomicFile {
  public:
    AtomicFile() = default;
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();  // removes a temporary file that was not committed

    // Writes `content` to a temporary file beside `path` and syncs it. A
    // symbolic link is written through to the file it names (a dangling one
    // is an error) unless `how` says otherwise. A target that exists and is
    // not a regular file (/dev/null, a pipe) is written in place at commit:
    // `content` must then live until commit. Returns false and sets `error`
    // to a one-line reason naming the file.
    bool prepare(const std::string& path, std::string_view content, std::string& error,
                 WriteMode how = {});
    // Renames the temporary file over the target.
    bool commit(std::string& error);

  private:
    std::string target_, temp_;
    std::string_view content_;  // for a target written in place
    bool in_place_ = false;
};

// A report streamed into the temporary file as it is written (--output),
// never held whole in memory: the corpus' JSON report is 9 MB, a third of a
// run's peak RSS when it was built in a string first. Same guarantees as
// AtomicFile; a character device (/dev/null, a terminal) is written
// directly, a pipe is buffered and written at commit.
class AtomicStream {
  public:
    AtomicStream() = default;
    AtomicStream(const AtomicStream&) = delete;
    AtomicStream& operator=(const AtomicStream&) = delete;
    ~AtomicStream();  // removes a temporary file that was not committed

    bool open(const std::string& path, std::string& error, WriteMode how = {});
    std::ostream& out() { return in_place_ ? static_cast<std::ostream&>(buffer_) : file_; }
    // Flushes, syncs and renames over the target (or writes the buffer in place).
    bool commit(std::string& error);

  private:
    std::string path_, target_, temp_;
    mode_t perms_ = 0;
    bool in_place_ = false;
    bool direct_ = false;
    std::ofstream file_;
    std::ostringstream buffer_;
};

// prepare + commit.
bool write_file_atomic(const std::string& path, std::string_view content, std::string& error,
                       WriteMode how = {});

}  // namespace pgw
