"""A small QR code encoder in pure Python (byte mode, versions 1-40, levels L/M/Q/H).

The browser runtime has only the standard library and pygame-ce, so the game cannot use
the ``qrcode`` package to show a collection export on screen. This module follows the
QR code standard (ISO/IEC 18004): byte-mode data, Reed-Solomon error correction over
GF(256), block interleaving, function patterns, the eight data masks with the standard
penalty rules, format and version information. The printing tool (karuta/tools/qr.py)
still uses the ``qrcode`` package; tests check this encoder against it and against a
real decoder.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("L", "M", "Q", "H")
_FORMAT_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}

# Error-correction codewords per block and number of blocks, for versions 1..40 (index 0 unused).
EC_PER_BLOCK = {
    "L": (0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
          28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "M": (0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
          26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    "Q": (0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
          28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "H": (0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
          30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
}
BLOCKS = {
    "L": (0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
          8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25),
    "M": (0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
          17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    "Q": (0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
          23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    "H": (0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
          25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
}


class QRError(ValueError):
    """The data does not fit (or a bad level/version was asked for)."""


@dataclass(frozen=True)
class QRCode:
    version: int
    level: str
    mask: int
    modules: tuple[tuple[bool, ...], ...]  # True = dark; no quiet zone

    @property
    def size(self) -> int:
        return len(self.modules)

    def rows(self, border: int = 4) -> list[list[bool]]:
        """The matrix with a light quiet zone of ``border`` modules (4 is the standard's minimum)."""
        n = self.size + 2 * border
        out = [[False] * n for _ in range(border)]
        for row in self.modules:
            out.append([False] * border + list(row) + [False] * border)
        out += [[False] * n for _ in range(border)]
        return out


# ---------------------------------------------------------------- GF(256) and Reed-Solomon

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D  # the standard's primitive polynomial x^8 + x^4 + x^3 + x^2 + 1
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _gmul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


_GENERATORS: dict[int, list[int]] = {}


def _generator(degree: int) -> list[int]:
    """Coefficients (highest first, leading 1 dropped) of prod (x - a^i), i < degree."""
    if degree not in _GENERATORS:
        poly = [1]
        for i in range(degree):
            nxt = [0] * (len(poly) + 1)
            for j, c in enumerate(poly):
                nxt[j] ^= c
                nxt[j + 1] ^= _gmul(c, _EXP[i])
            poly = nxt
        _GENERATORS[degree] = poly[1:]
    return _GENERATORS[degree]


def _ec_codewords(data: list[int], degree: int) -> list[int]:
    gen = _generator(degree)
    rem = [0] * degree
    for byte in data:
        factor = byte ^ rem[0]
        rem = rem[1:] + [0]
        if factor:
            for i, g in enumerate(gen):
                rem[i] ^= _gmul(g, factor)
    return rem


# ---------------------------------------------------------------- layout

def alignment_positions(version: int) -> list[int]:
    """Row/column centres of alignment patterns: 6, evenly spaced (even steps) up to size - 7."""
    if version == 1:
        return []
    count = version // 7 + 2
    last = version * 4 + 10
    if version == 32:
        step = 26  # the one version whose spacing the standard sets off the even rule
    else:
        step = -(-(last - 6) // (count - 1))
        step += step % 2
    return [6] + [last - step * i for i in range(count - 2, -1, -1)]


class _Grid:
    def __init__(self, version: int):
        self.version = version
        self.size = version * 4 + 17
        n = self.size
        self.dark = [[False] * n for _ in range(n)]
        self.fixed = [[False] * n for _ in range(n)]
        self._functions()

    def set(self, r: int, c: int, dark: bool) -> None:
        self.dark[r][c] = dark
        self.fixed[r][c] = True

    def _functions(self) -> None:
        n = self.size
        for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
            for dr in range(-1, 8):
                for dc in range(-1, 8):
                    r, c = r0 + dr, c0 + dc
                    if 0 <= r < n and 0 <= c < n:
                        ring = max(abs(dr - 3), abs(dc - 3))
                        self.set(r, c, ring in (0, 1, 3))  # 3x3 core, light ring, dark edge; separator light
        pos = alignment_positions(self.version)
        corners = {(pos[0], pos[0]), (pos[0], pos[-1]), (pos[-1], pos[0])} if pos else set()
        for r in pos:
            for c in pos:
                if (r, c) in corners:
                    continue  # would overlap a finder
                for dr in range(-2, 3):
                    for dc in range(-2, 3):
                        self.set(r + dr, c + dc, max(abs(dr), abs(dc)) != 1)
        for i in range(8, n - 8):  # timing patterns between the finders
            self.set(6, i, i % 2 == 0)
            self.set(i, 6, i % 2 == 0)
        self.draw_format(0, 0)  # reserve the areas; real bits are drawn after masking
        if self.version >= 7:
            self._version_info()

    def draw_format(self, level_bits: int, mask: int) -> None:
        n = self.size
        data = level_bits << 3 | mask
        rem = data
        for _ in range(10):
            rem = (rem << 1) ^ ((rem >> 9) * 0x537)
        bits = ((data << 10) | rem) ^ 0x5412
        bit = [(bits >> i) & 1 == 1 for i in range(15)]
        for i in range(6):
            self.set(i, 8, bit[i])
        self.set(7, 8, bit[6])
        self.set(8, 8, bit[7])
        self.set(8, 7, bit[8])
        for i in range(9, 15):
            self.set(8, 14 - i, bit[i])
        for i in range(8):
            self.set(8, n - 1 - i, bit[i])
        for i in range(8, 15):
            self.set(n - 15 + i, 8, bit[i])
        self.set(n - 8, 8, True)  # the dark module

    def _version_info(self) -> None:
        rem = self.version
        for _ in range(12):
            rem = (rem << 1) ^ ((rem >> 11) * 0x1F25)
        bits = self.version << 12 | rem
        n = self.size
        for i in range(18):
            dark = (bits >> i) & 1 == 1
            a, b = n - 11 + i % 3, i // 3
            self.set(a, b, dark)
            self.set(b, a, dark)

    def free_modules(self) -> int:
        return sum(1 for row in self.fixed for f in row if not f)

    def place(self, codewords: list[int]) -> None:
        """Data bits in the standard zigzag: column pairs from the right, up then down, skipping column 6."""
        n = self.size
        bits = [(byte >> (7 - i)) & 1 == 1 for byte in codewords for i in range(8)]
        k = 0
        right = n - 1
        upward = True
        while right >= 1:
            if right == 6:
                right = 5
            for step in range(n):
                r = n - 1 - step if upward else step
                for c in (right, right - 1):
                    if not self.fixed[r][c]:
                        self.dark[r][c] = bits[k] if k < len(bits) else False
                        k += 1
            upward = not upward
            right -= 2


_MASKS = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)


def _masked(grid: _Grid, mask: int) -> list[list[bool]]:
    f = _MASKS[mask]
    out = []
    for r in range(grid.size):
        row = grid.dark[r]
        fixed = grid.fixed[r]
        out.append([row[c] ^ (not fixed[c] and f(r, c)) for c in range(grid.size)])
    return out


def _penalty(m: list[list[bool]]) -> int:
    """The standard's four penalty rules: long runs, 2x2 blocks, finder-like patterns, dark balance."""
    n = len(m)
    score = 0
    lines = m + [list(col) for col in zip(*m)]
    finder_a = [True, False, True, True, True, False, True, False, False, False, False]
    finder_b = finder_a[::-1]
    for line in lines:
        run = 1
        for i in range(1, n):
            if line[i] == line[i - 1]:
                run += 1
            else:
                if run >= 5:
                    score += run - 2
                run = 1
        if run >= 5:
            score += run - 2
        for i in range(n - 10):
            window = line[i:i + 11]
            if window == finder_a or window == finder_b:
                score += 40
    for r in range(n - 1):
        for c in range(n - 1):
            v = m[r][c]
            if v == m[r][c + 1] == m[r + 1][c] == m[r + 1][c + 1]:
                score += 3
    dark = sum(sum(row) for row in m)
    score += abs(dark * 20 - n * n * 10) // (n * n) * 10
    return score


# ---------------------------------------------------------------- encoding

def data_capacity(version: int, level: str) -> int:
    """Data codewords (bytes) of a version at a level."""
    total = _Grid(version).free_modules() // 8
    return total - EC_PER_BLOCK[level][version] * BLOCKS[level][version]


def _codewords(data: bytes, version: int, level: str) -> list[int]:
    capacity = data_capacity(version, level)
    count_bits = 8 if version <= 9 else 16
    bits: list[int] = []

    def put(value: int, length: int) -> None:
        bits.extend((value >> (length - 1 - i)) & 1 for i in range(length))

    put(0b0100, 4)  # byte mode
    put(len(data), count_bits)
    for byte in data:
        put(byte, 8)
    if len(bits) > capacity * 8:
        raise QRError("data too long for this version")
    bits.extend([0] * min(4, capacity * 8 - len(bits)))  # terminator
    bits.extend([0] * (-len(bits) % 8))
    words = [int("".join(map(str, bits[i:i + 8])), 2) for i in range(0, len(bits), 8)]
    pad = (0xEC, 0x11)
    while len(words) < capacity:
        words.append(pad[(len(words) - len(bits) // 8) % 2])
    # split into blocks (the later blocks hold one more data codeword), add EC, interleave
    nblocks = BLOCKS[level][version]
    ec_len = EC_PER_BLOCK[level][version]
    short = capacity // nblocks
    long_from = nblocks - capacity % nblocks
    blocks, pos = [], 0
    for b in range(nblocks):
        length = short + (1 if b >= long_from else 0)
        blocks.append(words[pos:pos + length])
        pos += length
    ecs = [_ec_codewords(b, ec_len) for b in blocks]
    out = []
    for i in range(short + 1):
        for b in blocks:
            if i < len(b):
                out.append(b[i])
    for i in range(ec_len):
        for e in ecs:
            out.append(e[i])
    return out


def encode(data: bytes | str, level: str = "M", version: int | None = None, mask: int | None = None) -> QRCode:
    """Encode ``data`` (str is UTF-8) as a QR code; the smallest version that fits unless given."""
    if level not in LEVELS:
        raise QRError(f"level must be one of {', '.join(LEVELS)}")
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if version is None:
        for v in range(1, 41):
            header = 4 + (8 if v <= 9 else 16)
            if header + 8 * len(raw) <= data_capacity(v, level) * 8:
                version = v
                break
        else:
            raise QRError(f"{len(raw)} bytes do not fit in a QR code at level {level}")
    elif not 1 <= version <= 40:
        raise QRError("version must be 1..40")
    words = _codewords(raw, version, level)
    grid = _Grid(version)
    grid.place(words)
    if mask is None:
        best = None
        for m in range(8):
            grid.draw_format(_FORMAT_BITS[level], m)
            candidate = _masked(grid, m)
            score = _penalty(candidate)
            if best is None or score < best[0]:
                best = (score, m, candidate)
        _, mask, matrix = best  # type: ignore[misc]
    else:
        grid.draw_format(_FORMAT_BITS[level], mask)
        matrix = _masked(grid, mask)
    return QRCode(version, level, mask, tuple(tuple(r) for r in matrix))
