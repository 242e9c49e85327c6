"""Write a spaCy DocBin whose docs arrive one at a time, keeping memory flat.

spaCy's DocBin holds every doc until to_bytes() (646 MB for 225,000 sentences). This writer
packs each doc as DocBin.add() would into spool files, one per field of the DocBin, compressed
on the way; at the end it writes the DocBin's format from them: zlib of one msgpack map, the
fields in to_bytes()'s order, so DocBin().from_bytes() reads it as its own (the same bytes,
tested). Only the distinct strings (the vocabulary) stay in memory. Tokens keep ORTH (and
spaces) only: the docs are tokenized text with cats, spans and user data, nothing else.

It packs with one msgpack packer rather than DocBin.add(): srsly makes a packer for every
value it packs, and each time reads spaCy's whole function registry (three quarters of an
export's time).
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

BLOCK = 1 << 20
FIELDS = ("tokens", "spaces", "lengths", "cats", "flags", "span_groups", "user_data")
PER_DOC = FIELDS[3:]
EMPTY_SPAN_GROUPS = b"\x90"  # an empty msgpack list, as spaCy writes a doc without spans


class Spool:
    """Bytes written to a temporary file (compressed fast) and read back once, in order."""

    def __init__(self):
        # Unnamed, so nothing is left behind; closed once read (or when dropped).
        self.file = tempfile.TemporaryFile()  # noqa: SIM115
        self.compressor = zlib.compressobj(1)
        self.size = 0  # bytes written, uncompressed

    def write(self, data: bytes) -> None:
        self.size += len(data)
        self.file.write(self.compressor.compress(data))

    def read(self) -> Iterator[bytes]:
        self.file.write(self.compressor.flush())
        self.file.seek(0)
        decompressor = zlib.decompressobj()
        while block := decompressor.unconsumed_tail or self.file.read(BLOCK):
            if data := decompressor.decompress(block, BLOCK):
                yield data
        if data := decompressor.flush():
            yield data
        self.file.close()


class StreamedDocBin:
    def __init__(self):
        # The other formats never load spaCy (nor srsly's msgpack, which imports numpy).
        from spacy.attrs import ORTH, SPACY
        from srsly.msgpack import Packer

        self.columns, self.space_column = [ORTH], SPACY
        self.attrs, self.version = [ORTH], "0.1"  # DocBin(attrs=["ORTH"]).attrs and .version
        self.packer = Packer(use_bin_type=True)
        self.spools = {name: Spool() for name in FIELDS}
        self.strings: set[str] = set()
        self.docs = 0

    def __len__(self) -> int:
        return self.docs

    def add(self, doc: Doc) -> None:
        """Add the doc as DocBin(attrs=["ORTH"], store_user_data=True).add(doc) would."""
        pack, spools = self.packer.pack, self.spools
        spools["tokens"].write(doc.to_array(self.columns).tobytes("C"))
        # to_array gives a numpy array: no numpy import here (the app start-up imports this).
        spools["spaces"].write(doc.to_array(self.space_column).astype(bool).tobytes("C"))
        spools["lengths"].write(struct.pack("<i", len(doc)))
        spools["cats"].write(pack(doc.cats))
        spools["flags"].write(pack({"has_unknown_spaces": doc.has_unknown_spaces}))
        spools["span_groups"].write(self.span_groups(doc))
        spools["user_data"].write(pack(pack(doc.user_data)))
        self.strings.update(token.text for token in doc)
        self.strings.update(token.norm_ for token in doc)
        self.strings.add("")  # DocBin.add adds every token's tag, lemma, ...: all empty here
        self.docs += 1

    def span_groups(self, doc: Doc) -> bytes:
        """Return doc.spans.to_bytes() (as SpanGroup.to_bytes() makes it), packed as an item."""
        if not doc.spans:
            return self.packer.pack(EMPTY_SPAN_GROUPS)
        pack, groups = self.packer.pack, {}
        for key, group in doc.spans.items():
            spans = [
                struct.pack(">QQQllll", s.id, s.kb_id, s.label, s.start, s.end, s.start_char,
                            s.end_char)
                for s in group
            ]  # fmt: skip
            self.strings.update(span.label_ for span in group)
            packed = pack({"name": group.name, "attrs": group.attrs, "spans": spans})
            groups.setdefault(packed, []).append(key)
        return pack(pack(groups))

    def chunks(self) -> Iterator[bytes]:
        """Yield the bytes of the DocBin file; call once, after the last doc is added."""
        from srsly.msgpack import Packer  # loaded by __init__ already

        packer = Packer(use_bin_type=True)
        pack = packer.pack
        compressor = zlib.compressobj()

        def pieces() -> Iterator[bytes]:
            yield packer.pack_map_header(len(FIELDS) + 3)
            yield pack("version") + pack(self.version) + pack("attrs") + pack(self.attrs)
            for name in ("tokens", "spaces", "lengths"):
                yield pack(name) + bin_header(self.spools[name].size)
                yield from self.spools[name].read()
            strings = sorted(self.strings)
            yield pack("strings") + packer.pack_array_header(len(strings))
            yield b"".join(pack(string) for string in strings)
            for name in PER_DOC:
                yield pack(name) + packer.pack_array_header(self.docs)
                yield from self.spools[name].read()

        for piece in pieces():
            if data := compressor.compress(piece):
                yield data
        yield compressor.flush()


def bin_header(size: int) -> bytes:
    """Return msgpack's header of a bin of `size` bytes (the shortest form, as msgpack writes)."""
    if size < 1 << 8:
        return b"\xc4" + size.to_bytes(1, "big")
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")
