#!/usr/bin/python3
"""Encrypt a clear fragmented-MP4 DASH track with MPEG Common Encryption.

    cenc-encrypt.py --scheme cenc|cbcs --kid HEX --key HEX [--pssh]
                    INIT OUT_INIT SEGMENT OUT_SEGMENT [SEGMENT OUT_SEGMENT ...]

ffmpeg 5.1 cannot write encrypted fragments (it puts senc/saiz/saio in the
empty moov only), and GStreamer 1.22 has no encryptor, so the fixture
generator encrypts ffmpeg's clear DASH output with this script
(ISO/IEC 23001-7):

- init: the sample entry becomes encv/enca with a sinf (frma, schm, schi
  with tenc: KID; cenc: 8-byte per-sample IVs; cbcs: pattern 1:9 for video,
  a 16-byte constant IV); with --pssh a Clear Key pssh (version 1, the W3C
  common system 1077efec-…, listing the KID) is added to the moov.
- segments: each sample encrypted in place; per traf a senc (IVs,
  subsamples), saiz and saio (offsets from the moof, whose base the
  fixtures' tfhd sets), the trun data offsets and the sidx sizes adjusted.
  Video (length-prefixed H.264 NAL units): one subsample per NAL unit, its
  length field, header byte and the remainder of a 16-byte division clear,
  the rest protected (cenc: AES-CTR, one keystream across the subsamples
  of a sample; cbcs: AES-CBC 1 block in 10, IV reset per subsample). Audio:
  cenc encrypts whole samples, cbcs every whole 16-byte block (no pattern),
  without subsamples.

IVs are deterministic (sample counter), so output is the same on every run.
Needs python3-cryptography (Debian).
"""
import argparse
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

CLEARKEY_COMMON = bytes.fromhex("1077efecc0b24d02ace33c1e52e2fb4b")
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"moof", b"traf", b"mvex", b"edts"}


class Box:
    def __init__(self, kind, payload=b"", children=None):
        self.kind = kind
        self.payload = payload      # for leaves, and a sample entry's fixed fields
        self.children = children    # None: a leaf

    def serialize(self):
        body = self.payload
        if self.children is not None:
            body += b"".join(c.serialize() for c in self.children)
        return struct.pack(">I4s", 8 + len(body), self.kind) + body

    def find(self, kind):
        for child in self.children or []:
            if child.kind == kind:
                return child
        return None

    def walk(self, kind):
        if self.kind == kind:
            yield self
        for child in self.children or []:
            yield from child.walk(kind)


def parse(data):
    boxes, off = [], 0
    while off + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[off:off + 8])
        body = data[off + 8:off + size]
        if kind in CONTAINERS:
            boxes.append(Box(kind, b"", parse(body)))
        elif kind == b"stsd":
            # full box header + entry count, then sample entries
            boxes.append(Box(kind, body[:8], [parse_entry(e) for e in parse_raw(body[8:])]))
        else:
            boxes.append(Box(kind, body))
        off += size
    return boxes


def parse_raw(data):
    out, off = [], 0
    while off + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[off:off + 8])
        out.append((kind, data[off + 8:off + size]))
        off += size
    return out


def parse_entry(entry):
    kind, body = entry
    fixed = {b"avc1": 78, b"mp4a": 28}.get(kind)
    if fixed is None:
        sys.exit("cenc-encrypt: sample entry %r is not supported" % kind)
    return Box(kind, body[:fixed], parse(body[fixed:]))


def full_box(kind, version, flags, payload):
    return Box(kind, struct.pack(">I", (version << 24) | flags) + payload)


def encrypt_init(data, args, is_video):
    boxes = parse(data)
    moov = next(b for b in boxes if b.kind == b"moov")
    entry = next(moov.walk(b"stsd")).children[0]
    original = entry.kind
    entry.kind = b"encv" if original == b"avc1" else b"enca"
    if args.scheme == "cenc":
        tenc = full_box(b"tenc", 0, 0, bytes([0, 0, 1, 8]) + args.kid)
    else:
        pattern = 0x19 if is_video else 0x00
        tenc = full_box(b"tenc", 1, 0, bytes([0, pattern, 1, 0]) + args.kid + bytes([16]) + args.iv)
    sinf = Box(b"sinf", b"", [
        Box(b"frma", original),
        full_box(b"schm", 0, 0, args.scheme.encode() + struct.pack(">I", 0x10000)),
        Box(b"schi", b"", [tenc]),
    ])
    entry.children.append(sinf)
    if args.pssh:
        moov.children.append(full_box(b"pssh", 1, 0, CLEARKEY_COMMON + struct.pack(">I", 1) +
                                      args.kid + struct.pack(">I", 0)))
    return b"".join(b.serialize() for b in boxes)


def aes_ctr(key, iv16, data):
    encryptor = Cipher(algorithms.AES(key), modes.CTR(iv16)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def aes_cbc_blocks(key, iv, data):
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def video_subsamples(sample):
    """(clear, protected) per length-prefixed NAL unit"""
    out, off = [], 0
    while off + 4 <= len(sample):
        nal = struct.unpack(">I", sample[off:off + 4])[0]
        body = nal - 1
        protected = body - body % 16 if body >= 16 else 0
        out.append((4 + nal - protected, protected))
        off += 4 + nal
    if off != len(sample):
        sys.exit("cenc-encrypt: a video sample is not length-prefixed NAL units")
    return out


def encrypt_sample(args, sample, index, is_video):
    """the encrypted sample and its senc entry"""
    subsamples = video_subsamples(sample) if is_video else None
    out = bytearray(sample)
    if args.scheme == "cenc":
        iv = struct.pack(">Q", 0x1000 + index)
        ranges, pos = [], 0
        for clear, protected in subsamples or [(0, len(sample))]:
            ranges.append((pos + clear, protected))
            pos += clear + protected
        stream = aes_ctr(args.key, iv + bytes(8), b"".join(sample[a:a + n] for a, n in ranges))
        used = 0
        for start, n in ranges:
            out[start:start + n] = stream[used:used + n]
            used += n
        info = iv
    else:
        info = b""
        pos = 0
        for clear, protected in subsamples or [(0, len(sample))]:
            start = pos + clear
            blocks = protected // 16
            # video: 1 block encrypted in 10, audio: every block; CBC chains
            # through the encrypted blocks of one subsample
            chain = [start + 16 * b for b in range(blocks) if not is_video or b % 10 == 0]
            cipher = aes_cbc_blocks(args.key, args.iv, b"".join(sample[o:o + 16] for o in chain))
            for i, o in enumerate(chain):
                out[o:o + 16] = cipher[16 * i:16 * i + 16]
            pos += clear + protected
    if subsamples is not None:
        info += struct.pack(">H", len(subsamples))
        info += b"".join(struct.pack(">HI", c, p) for c, p in subsamples)
    return bytes(out), info


def encrypt_segment(data, args, is_video, counter):
    boxes = parse(data)
    moof = next(b for b in boxes if b.kind == b"moof")
    mdat = next(b for b in boxes if b.kind == b"mdat")
    old_moof_size = len(moof.serialize())
    trafs = [b for b in moof.children if b.kind == b"traf"]
    if len(trafs) != 1:
        sys.exit("cenc-encrypt: one traf per moof expected")
    traf = trafs[0]
    tfhd, trun = traf.find(b"tfhd"), traf.find(b"trun")
    tfhd_flags = struct.unpack(">I", tfhd.payload[:4])[0] & 0xffffff
    if not tfhd_flags & 0x020000:
        sys.exit("cenc-encrypt: tfhd must set default-base-is-moof")
    pos = 8
    default_size = None
    for flag, width in ((0x1, 8), (0x2, 4), (0x8, 4)):
        if tfhd_flags & flag:
            pos += width
    if tfhd_flags & 0x10:
        default_size = struct.unpack(">I", tfhd.payload[pos:pos + 4])[0]
    trun_flags = struct.unpack(">I", trun.payload[:4])[0] & 0xffffff
    count = struct.unpack(">I", trun.payload[4:8])[0]
    data_offset = struct.unpack(">i", trun.payload[8:12])[0]
    pos = 12 + (4 if trun_flags & 0x4 else 0)
    sizes = []
    for _ in range(count):
        for flag in (0x100, 0x200, 0x400, 0x800):
            if trun_flags & flag:
                if flag == 0x200:
                    sizes.append(struct.unpack(">I", trun.payload[pos:pos + 4])[0])
                pos += 4
        if not trun_flags & 0x200:
            sizes.append(default_size)

    # the samples start data_offset bytes into the moof (base is moof)
    payload = bytearray(mdat.payload)
    at = data_offset - old_moof_size - 8
    infos = []
    for size in sizes:
        sample, info = encrypt_sample(args, bytes(payload[at:at + size]), counter[0], is_video)
        counter[0] += 1
        payload[at:at + size] = sample
        infos.append(info)
        at += size
    mdat.payload = bytes(payload)

    flags = 0x2 if is_video else 0
    senc = full_box(b"senc", 0, flags, struct.pack(">I", count) + b"".join(infos))
    sizes_info = [len(i) for i in infos]
    if len(set(sizes_info)) == 1 and sizes_info[0] != 0:
        # (a default size of 0 means "sizes follow": cbcs audio with a
        # constant IV has empty entries, listed)
        saiz = full_box(b"saiz", 0, 0, bytes([sizes_info[0]]) + struct.pack(">I", count))
    else:
        saiz = full_box(b"saiz", 0, 0, bytes([0]) + struct.pack(">I", count) + bytes(sizes_info))
    saio = full_box(b"saio", 0, 0, struct.pack(">II", 1, 0))
    traf.children += [senc, saiz, saio]
    # offsets from the moof: saio to the first senc entry, trun past the growth
    growth = len(moof.serialize()) - old_moof_size
    trun.payload = trun.payload[:8] + struct.pack(">i", data_offset + growth) + trun.payload[12:]
    moof_bytes = moof.serialize()
    senc_at = moof_bytes.find(b"senc") - 4
    saio.payload = saio.payload[:8] + struct.pack(">I", senc_at + 16)
    # sidx: the subsegment grew by @growth
    for box in boxes:
        if box.kind == b"sidx":
            version = box.payload[0]
            ref = 4 + 8 + (8 if version == 0 else 16) + 4
            first = struct.unpack(">I", box.payload[ref:ref + 4])[0]
            box.payload = (box.payload[:ref] +
                           struct.pack(">I", (first & 0x80000000) | ((first & 0x7fffffff) + growth)) +
                           box.payload[ref + 4:])
    return b"".join(b.serialize() for b in boxes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scheme", choices=("cenc", "cbcs"), required=True)
    parser.add_argument("--kid", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--iv", default="0123456789abcdef0123456789abcdef",
                        help="cbcs: the constant IV")
    parser.add_argument("--pssh", action="store_true")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    args.kid, args.key, args.iv = (bytes.fromhex(x) for x in (args.kid, args.key, args.iv))
    if len(args.files) < 4 or len(args.files) % 2:
        parser.error("INIT OUT_INIT SEGMENT OUT_SEGMENT… expected")
    pairs = list(zip(args.files[0::2], args.files[1::2]))
    init = open(pairs[0][0], "rb").read()
    is_video = b"avc1" in init
    with open(pairs[0][1], "wb") as out:
        out.write(encrypt_init(init, args, is_video))
    counter = [0]
    for src, dst in pairs[1:]:
        with open(dst, "wb") as out:
            out.write(encrypt_segment(open(src, "rb").read(), args, is_video, counter))


if __name__ == "__main__":
    main()
