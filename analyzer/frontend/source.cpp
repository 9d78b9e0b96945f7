#include "frontend/source.h"

#include <fcntl.h>
#include <poll.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace pgw {

namespace {

// Offset of the first invalid UTF-8 sequence, or npos. Only called on the rare
// file that simdjson's fast validator rejected, to say where the problem is.
std::size_t first_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
        if (len == 0 || i + len > s.size()) return i;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
        if (!simdjson::validate_utf8(s.data() + i, len)) return i;  // overlong, surrogate
        i += len;
    }
    return std::string_view::npos;
}

std::string too_large() {
    return "larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB, not read";
}

}  // namespace

SourceFile SourceFile::from_bytes(std::string path, std::string bytes) {
    SourceFile f;
    f.path = std::move(path);
    f.bytes = std::move(bytes);
    f.line_starts.push_back(0);
    const char* data = f.bytes.data();
    const char* end = data + f.bytes.size();
    for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', end - p)));)
        f.line_starts.push_back(static_cast<std::size_t>(++p - data));

    if (auto nul = f.bytes.find('\0'); nul != std::string::npos) {
        f.problem = "file contains NUL bytes (binary file?)";
        f.problem_offset = nul;
    } else if (!simdjson::validate_utf8(f.bytes.data(), f.bytes.size())) {
        f.problem_offset = first_invalid_utf8(f.bytes);
        if (f.problem_offset == std::string_view::npos) f.problem_offset = 0;
        f.problem = "file is not valid UTF-8";
    }
    return f;
}

std::size_t SourceFile::content_start() const {
    return bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
}

Position SourceFile::position_at(std::size_t offset) const {
    offset = std::min(offset, bytes.size());
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
    std::size_t line_index = static_cast<std::size_t>(it - line_starts.begin()) - 1;
    std::size_t start = line_starts[line_index];
    if (line_index == 0) start = std::min(content_start(), offset);
    int column = 1;
    for (std::size_t i = start; i < offset; ++i)
        if ((static_cast<unsigned char>(bytes[i]) & 0xC0) != 0x80) ++column;
    return Position{static_cast<int>(line_index) + 1, column};
}

std::string_view SourceFile::line_text(int line) const {
    if (line < 1 || static_cast<std::size_t>(line) > line_starts.size()) return {};
    std::size_t begin = line_starts[static_cast<std::size_t>(line) - 1];
    if (line == 1) begin = content_start();
    std::size_t end = static_cast<std::size_t>(line) < line_starts.size()
                          ? line_starts[static_cast<std::size_t>(line)] - 1
                          : bytes.size();
    if (end > begin && bytes[end - 1] == '\r') --end;
    return std::string_view(bytes).substr(begin, end - begin);
}

bool read_file_bytes(const std::string& path, std::string& out, std::string& error) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; only regular
    // files are read (a FIFO, a device or /dev/zero would hang or never end).
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        error = std::strerror(errno);
        ::close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = S_ISDIR(st.st_mode)    ? "is a directory"
                : S_ISFIFO(st.st_mode) ? "not a regular file (a FIFO)"
                : S_ISCHR(st.st_mode)  ? "not a regular file (a character device)"
                : S_ISSOCK(st.st_mode) ? "not a regular file (a socket)"
                                       : "not a regular file";
        ::close(fd);
        return false;
    }
    bool ok = read_capped(fd, out, error, static_cast<std::size_t>(st.st_size));
    ::close(fd);
    return ok;
}

bool read_capped(int fd, std::string& out, std::string& error, std::size_t expected) {
    out.clear();
    if (expected > kMaxInputBytes) {
        error = too_large();
        return false;
    }
    if (expected > 0) out.reserve(expected);
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            // a non-blocking descriptor (stdin may be one): wait for data
            pollfd p{fd, POLLIN, 0};
            ::poll(&p, 1, -1);
            continue;
        }
        if (n < 0) {
            error = std::string("read error: ") + std::strerror(errno);
            return false;
        }
        if (n == 0) return true;
        if (out.size() + static_cast<std::size_t>(n) > kMaxInputBytes) {
            error = too_large();
            out.clear();
            return false;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace pgw
