#include "frontend/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace pgw {

namespace {

std::string errno_text() {
    return std::strerror(errno);
}

bool write_all(int fd, std::string_view content, std::string& error) {
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = n < 0 ? errno_text() : "short write";
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

mode_t current_umask() {
    mode_t old = ::umask(022);
    ::umask(old);
    return old;
}

}  // namespace

AtomicFile::~AtomicFile() {
    if (!temp_.empty()) ::unlink(temp_.c_str());
}

namespace {

// Where a write to `path` lands: through a symbolic link to a regular file
// (when `how` follows links), and what is there now. False: an error.
bool resolve_target(const std::string& path, const WriteMode& how, std::string& target,
                    struct stat& st, bool& exists, std::string& error) {
    target = path;
    struct stat link {};
    bool is_link = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
    if (is_link && how.follow_link) {
        struct stat through {};
        if (::stat(path.c_str(), &through) != 0) {
            error = path + ": a dangling symbolic link, not written through";
            return false;
        }
        if (S_ISREG(through.st_mode)) {
            char resolved[PATH_MAX];
            if (!::realpath(path.c_str(), resolved)) {
                error = path + ": " + errno_text();
                return false;
            }
            target = resolved;
        }
    }
    exists = is_link && !how.follow_link ? false : ::stat(target.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        error = path + ": is a directory";
        return false;
    }
    return true;
}

// Renames the prepared temporary file over the target; `temp` is then empty.
bool rename_over(std::string& temp, const std::string& target, std::string& error) {
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        error = target + ": cannot write: " + errno_text();
        return false;
    }
    temp.clear();
    return true;
}

// A new temporary file beside `target`, open for writing; -1 and `error` if not.
int make_temp(const std::string& path, const std::string& target, std::string& temp,
              std::string& error) {
    auto slash = target.rfind('/');
    std::string dir = slash == std::string::npos ? "" : target.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
    std::string name = dir + "." + base + ".pgwarden-XXXXXX";
    std::vector<char> buf(name.begin(), name.end());
    buf.push_back('\0');
    int fd = ::mkstemp(buf.data());
    if (fd < 0) {
        error = path + ": cannot write: " + errno_text();
        return -1;
    }
    temp = buf.data();
    return fd;
}

}  // namespace

bool AtomicFile::prepare(const std::string& path, std::string_view content, std::string& error,
                         WriteMode how) {
    struct stat st {};
    bool exists = false;
    if (!resolve_target(path, how, target_, st, exists, error)) return false;
    if (exists && !S_ISREG(st.st_mode)) {  // /dev/null, /dev/stdout as a pipe
        in_place_ = true;
        content_ = content;
        return true;
    }
    int fd = make_temp(path, target_, temp_, error);
    if (fd < 0) return false;
    mode_t perms = exists && how.keep_mode ? (st.st_mode & 07777) : (how.mode & ~current_umask());
    std::string why;
    bool ok = write_all(fd, content, why) &&
              (::fchmod(fd, perms) == 0 || (why = errno_text(), false)) &&
              (::fsync(fd) == 0 || (why = errno_text(), false));
    if (::close(fd) != 0 && ok) ok = false, why = errno_text();
    if (!ok) {
        error = path + ": cannot write: " + why;
        ::unlink(temp_.c_str());
        temp_.clear();
        return false;
    }
    return true;
}

bool AtomicFile::commit(std::string& error) {
    if (in_place_) {
        int fd = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
        std::string why;
        bool ok = fd >= 0 ? write_all(fd, content_, why) : (why = errno_text(), false);
        if (fd >= 0 && ::close(fd) != 0 && ok) ok = false, why = errno_text();
        if (!ok) error = target_ + ": cannot write: " + why;
        return ok;
    }
    if (temp_.empty()) {
        error = target_ + ": nothing prepared";
        return false;
    }
    return rename_over(temp_, target_, error);
}

AtomicStream::~AtomicStream() {
    if (!temp_.empty()) ::unlink(temp_.c_str());
}

bool AtomicStream::open(const std::string& path, std::string& error, WriteMode how) {
    path_ = path;
    struct stat st {};
    bool exists = false;
    if (!resolve_target(path, how, target_, st, exists, error)) return false;
    if (exists && S_ISCHR(st.st_mode)) {  // /dev/null, a terminal: nothing to undo
        file_.open(target_, std::ios::binary | std::ios::out);
        if (!file_) error = path + ": cannot write: " + errno_text();
        direct_ = static_cast<bool>(file_);
        return direct_;
    }
    if (exists && !S_ISREG(st.st_mode)) {  // a pipe: written whole at commit
        in_place_ = true;
        return true;
    }
    int fd = make_temp(path, target_, temp_, error);
    if (fd < 0) return false;
    ::close(fd);
    perms_ = exists && how.keep_mode ? (st.st_mode & 07777) : (how.mode & ~current_umask());
    file_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!file_) {
        error = path + ": cannot write: " + errno_text();
        return false;
    }
    return true;
}

bool AtomicStream::commit(std::string& error) {
    if (in_place_) {
        AtomicFile f;
        std::string content = std::move(buffer_).str();
        return f.prepare(target_, content, error) && f.commit(error);
    }
    if (direct_) {
        file_.flush();
        bool ok = file_.good();
        file_.close();
        if (!ok || file_.fail()) error = target_ + ": cannot write: " + errno_text();
        return ok && !file_.fail();
    }
    if (temp_.empty()) {
        error = target_ + ": nothing prepared";
        return false;
    }
    file_.flush();
    bool ok = file_.good();
    std::string why = ok ? "" : errno_text();
    file_.close();
    if (ok && file_.fail()) ok = false, why = errno_text();
    if (ok && ::chmod(temp_.c_str(), perms_) != 0) ok = false, why = errno_text();
    if (ok) {
        int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::fsync(fd) != 0) ok = false, why = errno_text();
        if (fd >= 0) ::close(fd);
    }
    if (!ok) {
        error = path_ + ": cannot write: " + why;
        return false;
    }
    return rename_over(temp_, target_, error);
}

bool write_file_atomic(const std::string& path, std::string_view content, std::string& error,
                       WriteMode how) {
    AtomicFile f;
    return f.prepare(path, content, error, how) && f.commit(error);
}

}  // namespace pgw
