"""Helpers of the `pgwarden verify` tests (verify_test.py, verify_hygiene_test.py):
running the command in a private temporary folder, fixture markers, a live
PostgreSQL for drift, leftover detection and a small PNG reader."""
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
import zlib

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL", what)
    return cond


def finish(name):
    if FAILURES:
        print(f"{name}: {len(FAILURES)} failure(s)")
        return 1
    print(f"{name}: ok")
    return 0


class Env:
    """A temporary folder for the clusters (PGWARDEN_TMPDIR) and a cache."""

    def __init__(self, pgw, cache):
        self.pgw = pgw
        base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        self.tmp = tempfile.mkdtemp(prefix="pgwt-", dir=base)
        # The cluster's user (postgres, when this runs as root) must reach it.
        os.chmod(self.tmp, 0o755)
        self.cache = cache
        os.makedirs(cache, exist_ok=True)

    def environ(self, **extra):
        env = dict(os.environ)
        env.update({"PGWARDEN_TMPDIR": self.tmp, "PGWARDEN_CACHE_DIR": self.cache, "NO_COLOR": "1"})
        env.update({k: v for k, v in extra.items() if v is not None})
        return env

    def run(self, args, cwd=None, **extra):
        return subprocess.run([self.pgw] + args, cwd=cwd, env=self.environ(**extra),
                              capture_output=True, text=True, timeout=300)

    def popen(self, args, cwd=None, **extra):
        return subprocess.Popen([self.pgw] + args, cwd=cwd, env=self.environ(**extra),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def leftovers(self):
        """Cluster folders and processes of this test's runs that still exist."""
        folders = [p.name for p in pathlib.Path(self.tmp).glob("pgw-*")]
        procs = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()
                stat = open(f"/proc/{pid}/stat").read()
            except OSError:
                continue
            if self.tmp in cmd and stat.rsplit(")", 1)[1].split()[0] != "Z":
                procs.append(f"{pid}: {cmd.strip()}")
        return folders, procs

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


MARK = re.compile(r'([a-z][a-z0-9-]*)(?:\s+"((?:[^"\\]|\\.)*)")?')


def markers(text, key="expect:"):
    """`-- expect: rule ["message part"], ...` -> [(line, rule, part)]."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        at = line.find("-- " + key)
        if at < 0:
            continue
        for m in MARK.finditer(line[at + 3 + len(key):]):
            part = m.group(2).replace('\\"', '"') if m.group(2) else ""
            out.append((n, m.group(1), part))
    return out


def compare_case(case, rule, findings, compare_all, unplaced=False):
    """Every marker of the case's files matches a finding, and no other
    finding of the compared rules exists. Returns the problems."""
    expected = []  # (path, line, rule, part)
    for f in sorted(case.rglob("*")):
        if f.is_file() and f.suffix in (".sql", ".psql"):
            text = f.read_text(encoding="utf-8")
            rel = str(f.relative_to(case.parent.parent))
            if f.suffix == ".sql":
                expected += [(rel, n, r, p) for n, r, p in markers(text)]
            expected += [(None, None, r, p) for _, r, p in markers(text, "expect-unplaced:")]
    compared = {rule} | {e[2] for e in expected}
    prefix = str(case.relative_to(case.parent.parent)) + "/"
    # Findings about no file (drift of a live database) name the database.
    mine = [f for f in findings
            if (f["path"].startswith(prefix) or (unplaced and not f["path"].endswith(".sql")))
            and (compare_all or f["rule"] in compared)]
    problems = []
    left = list(mine)
    for path, line, r, part in expected:
        hit = next((f for f in left if (path is None or f["path"] == path) and (line is None or f["line"] == line)
                    and f["rule"] == r and part in f["message"]), None)
        if hit is None:
            near = [f["message"] for f in mine if f["rule"] == r and f["path"] == path]
            problems.append(f"{path}:{line}: expected {r} {part!r}, got {near}")
        else:
            left.remove(hit)
    for f in left:
        problems.append(f"{f['path']}:{f['line']}: unexpected {f['rule']}: {f['message']}")
    name = case.name
    if name.startswith("bad"):
        if not any(e[2] == rule for e in expected):
            problems.append(f"{case}: a bad case must expect {rule}")
    elif name.startswith("good"):
        if any(e[2] == rule for e in expected):
            problems.append(f"{case}: a good case must not expect {rule}")
    else:
        problems.append(f"{case}: case folders are named bad* or good*")
    return problems


def flyway_crc32(data):
    """Flyway's checksum: CRC-32 of each line without its terminator, BOM dropped, signed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    crc = 0
    for line in re.split(rb"\r\n|\r|\n", data):
        crc = zlib.crc32(line, crc)
    return crc - (1 << 32) if crc >= 1 << 31 else crc


def substitute(text, case):
    def one(m):
        kind, name = m.group(1), m.group(2)
        data = (case / name).read_bytes()
        if kind == "crc32":
            return str(flyway_crc32(data))
        return getattr(hashlib, kind)(data).hexdigest()
    return re.sub(r"\{\{(crc32|sha256|sha384):([^}]+)\}\}", one, text)


class Live:
    """A live PostgreSQL for drift: a cluster `verify --keep` left behind,
    started again with the command it printed."""

    def __init__(self, env):
        self.env = env
        empty = tempfile.mkdtemp(dir=env.tmp)
        r = env.run(["verify", "--keep", empty])
        m = re.search(r"cluster kept \(stopped\) in (\S+): start it with `([^`]+)`", r.stderr)
        if not m:
            raise RuntimeError("verify --keep printed no folder: " + r.stderr + r.stdout)
        self.folder, start = m.group(1), m.group(2)
        self.start_command = start
        subprocess.run(start, shell=True, check=True, capture_output=True, timeout=60)
        for _ in range(500):
            if self.psql("postgres", "SELECT 1", check=False).returncode == 0:
                break
            time.sleep(0.02)

    def url(self, db):
        return f"host={self.folder} user=postgres dbname={db}"

    def psql(self, db, sql=None, file=None, check=True):
        args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.folder, "-U", "postgres", "-d", db]
        args += ["-f", file] if file else ["-c", sql]
        r = subprocess.run(args, capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise RuntimeError(f"psql {db}: {r.stderr}")
        return r

    def stop(self):
        pid = int(open(os.path.join(self.folder, "data", "postmaster.pid")).readline())
        os.kill(pid, 3)  # SIGQUIT: immediate shutdown
        for _ in range(1000):
            try:
                os.kill(pid, 0)
                if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
            except OSError:
                break
            time.sleep(0.01)
        shutil.rmtree(self.folder, ignore_errors=True)


def png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, color = (int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big"),
                                           body[8], body[9])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def verify_json(result):
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return {"findings": [], "error": result.stderr + result.stdout[:500]}
