"""A small PDF whose one page expands to megabytes of drawing operators when read."""

from __future__ import annotations

import zlib


def content_stream_bomb(megabytes: float = 5) -> bytes:
    """A valid one-page PDF of about 10 KB whose compressed content stream inflates to
    `megabytes` of `0 0 m 1 1 l S` (move, line, stroke) operators."""
    operators = b"0 0 m 1 1 l S\n" * int(megabytes * 2**20 / 14)
    stream = zlib.compress(operators, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
