"""A minimal PDF writer for test fixtures: text lines placed where we say (so reading order, columns,
running headers and font sizes are under our control), document metadata, RC4 encryption, image-only
("scanned") pages, and the hostile shapes (huge page trees, deep nesting). No third-party code: the
fixtures are written by us, byte for byte.

Only the standard 14 fonts are used (Helvetica, Helvetica-Bold), text encoded as cp1252.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")
FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold"}
ENCODING = "/Encoding /WinAnsiEncoding"


@dataclass
class Line:
    x: float
    y: float
    text: str
    size: float = 10
    font: str = "F1"
    angle: float = 0.0
    """Degrees counter-clockwise (arXiv's side stamp is at 90)."""


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)
    image: bool = False
    """Paint a grey image over the whole page (a scan: no text layer)."""
    width: float = 612
    height: float = 792


def _esc(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def content_stream(page: Page) -> bytes:
    out = []
    if page.image:
        out.append(f"q {page.width:g} 0 0 {page.height:g} 0 0 cm /Im1 Do Q".encode())
    for ln in page.lines:
        a = math.radians(ln.angle)
        c, s = round(math.cos(a), 6), round(math.sin(a), 6)
        out.append(
            f"BT /{ln.font} {ln.size:g} Tf {c:g} {s:g} {-s:g} {c:g} {ln.x:g} {ln.y:g} Tm (".encode()
            + _esc(ln.text)
            + b") Tj ET"
        )
    return b"\n".join(out)


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


class Writer:
    """Objects are numbered in the order they are added; `bytes()` writes header, body, xref, trailer."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []
        self.streams: dict[int, bytes] = {}
        self.key: bytes | None = None

    def add(self, body: bytes | str = b"") -> int:
        self.objects.append(body.encode() if isinstance(body, str) else body)
        return len(self.objects)

    def set(self, num: int, body: bytes | str) -> None:
        self.objects[num - 1] = body.encode() if isinstance(body, str) else body

    def stream(self, data: bytes, extra: str = "") -> int:
        num = self.add(b"")
        self.streams[num] = data
        self.objects[num - 1] = f"<< {extra} /Length %LEN% >>".encode()
        return num

    def text(self, num: int, value: str) -> bytes:
        """A string object's bytes for object `num` (encrypted when the file is)."""
        raw = value.encode("utf-16-be") if any(ord(ch) > 255 for ch in value) else value.encode("latin-1")
        if raw.startswith(b"\xfe\xff") or any(ord(ch) > 255 for ch in value):
            raw = b"\xfe\xff" + raw
        if self.key is not None:
            raw = rc4(self._objkey(num), raw)
        return b"<" + raw.hex().encode() + b">"

    def _objkey(self, num: int) -> bytes:
        assert self.key is not None
        return hashlib.md5(self.key + num.to_bytes(3, "little") + b"\x00\x00").digest()[:10]

    def bytes(
        self, root: int, info: int | None = None, encrypt: int | None = None, file_id: bytes = b""
    ) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for num, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            data = self.streams.get(num)
            if data is not None:
                if self.key is not None and num != encrypt:
                    data = rc4(self._objkey(num), data)
                body = body.replace(b"%LEN%", str(len(data)).encode())
                out += f"{num} 0 obj\n".encode() + body + b"\nstream\n" + data + b"\nendstream\nendobj\n"
            else:
                out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode()
        for off in offsets:
            out += f"{off:010d} 00000 n \n".encode()
        trailer = f"<< /Size {len(self.objects) + 1} /Root {root} 0 R"
        if info:
            trailer += f" /Info {info} 0 R"
        if encrypt:
            trailer += f" /Encrypt {encrypt} 0 R"
        if file_id:
            trailer += f" /ID [<{file_id.hex()}> <{file_id.hex()}>]"
        out += ("trailer\n" + trailer + f" >>\nstartxref\n{xref}\n%%EOF\n").encode()
        return bytes(out)


def _fonts(w: Writer) -> int:
    refs = " ".join(
        f"/{name} {w.add(f'<< /Type /Font /Subtype /Type1 /BaseFont /{base} {ENCODING} >>')} 0 R"
        for name, base in FONTS.items()
    )
    return w.add(f"<< {refs} >>")


def _image(w: Writer) -> int:
    side = 64
    pixels = bytes((x * 3 + y * 5) % 200 + 40 for y in range(side) for x in range(side))
    kind = "/Type /XObject /Subtype /Image /ColorSpace /DeviceGray /BitsPerComponent 8"
    return w.stream(pixels, f"{kind} /Width {side} /Height {side}")


def build_pdf(
    pages: list[Page],
    info: dict[str, str] | None = None,
    user_password: str | None = None,
    page_extra: str = "",
) -> bytes:
    """A PDF with these pages. `info`: Title, Author, Subject, CreationDate... `user_password`:
    encrypt with the standard 40-bit RC4 handler ('' opens without a password)."""
    w = Writer()
    file_id = hashlib.md5(repr((pages, info)).encode()).digest()
    encrypt = None
    if user_password is not None:
        p = -64
        owner = hashlib.md5((b"owner-secret" + PAD)[:32]).digest()[:5]
        o = rc4(owner, (user_password.encode() + PAD)[:32])
        w.key = hashlib.md5(
            (user_password.encode() + PAD)[:32] + o + p.to_bytes(4, "little", signed=True) + file_id
        ).digest()[:5]
        u = rc4(w.key, PAD)
        encrypt = w.add(f"<< /Filter /Standard /V 1 /R 2 /O <{o.hex()}> /U <{u.hex()}> /P {p} >>")
    fonts = _fonts(w)
    image = _image(w) if any(pg.image for pg in pages) else None
    xobj = f"/XObject << /Im1 {image} 0 R >>" if image else ""
    resources = w.add(f"<< /Font {fonts} 0 R {xobj} >>")
    pages_num = w.add(b"")
    kids = []
    for pg in pages:
        content = w.stream(content_stream(pg))
        kids.append(
            w.add(
                f"<< /Type /Page /Parent {pages_num} 0 R /MediaBox [0 0 {pg.width:g} {pg.height:g}] "
                f"/Resources {resources} 0 R /Contents {content} 0 R {page_extra}>>"
            )
        )
    w.set(pages_num, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>")
    root = w.add(f"<< /Type /Catalog /Pages {pages_num} 0 R >>")
    info_num = None
    if info:
        info_num = w.add(b"")
        entries = b" ".join(f"/{k} ".encode() + w.text(info_num, v) for k, v in info.items())
        w.set(info_num, b"<< " + entries + b" >>")
    return w.bytes(root, info_num, encrypt, file_id)


def _page(parent: int, resources: int, content: int) -> str:
    return (
        f"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 612 792] "
        f"/Resources {resources} 0 R /Contents {content} 0 R >>"
    )


def shared_pages(n: int, page: Page) -> bytes:
    """`n` pages that all show the same content stream: a big page count in a small file."""
    w = Writer()
    fonts = _fonts(w)
    resources = w.add(f"<< /Font {fonts} 0 R >>")
    content = w.stream(content_stream(page))
    pages_num = w.add(b"")
    first = len(w.objects) + 1
    for _ in range(n):
        w.add(_page(pages_num, resources, content))
    w.set(
        pages_num,
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in range(first, first + n))}] /Count {n} >>",
    )
    root = w.add(f"<< /Type /Catalog /Pages {pages_num} 0 R >>")
    return w.bytes(root)


def page_tree_bomb(depth: int = 40, page: Page | None = None) -> bytes:
    """A page tree whose every node lists its child twice: 2**depth pages from `depth` objects."""
    page = page or Page([Line(72, 700, "One page, repeated without end.")])
    w = Writer()
    fonts = _fonts(w)
    resources = w.add(f"<< /Font {fonts} 0 R >>")
    content = w.stream(content_stream(page))
    nodes = [w.add(b"") for _ in range(depth)]
    leaf = w.add(_page(nodes[-1], resources, content))
    for level, num in enumerate(nodes):
        child = nodes[level + 1] if level + 1 < depth else leaf
        parent = f"/Parent {nodes[level - 1]} 0 R " if level else ""
        w.set(
            num, f"<< /Type /Pages {parent}/Kids [{child} 0 R {child} 0 R] /Count {2 ** (depth - level)} >>"
        )
    root = w.add(f"<< /Type /Catalog /Pages {nodes[0]} 0 R >>")
    return w.bytes(root)


def deep_nesting(depth: int = 100_000) -> bytes:
    """One page whose dictionary holds an array nested `depth` deep (a parser that recurses on it
    runs out of stack), with a line of text."""
    deep = "/Deep " + "[" * depth + "0" + "]" * depth + " "
    return build_pdf([Page([Line(72, 700, "A page with a very deep array.")])], page_extra=deep)
