"""Writes fixtures/zip64*.npz: .npz files in the zip64 format whose array header claims 10^9 float32
values (4 GB) over 16 bytes of data; in zip64-lying.npz the zip64 size fields claim 4 GB as well.
A reader must call them truncated without allocating what they claim. Run: python3 make_zip64_fixtures.py
"""
import struct
import zipfile


def npy_bytes(shape, data):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % (shape,)
    header = header + ' ' * ((64 - (10 + len(header) + 1) % 64) % 64) + '\n'
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode() + data


with zipfile.ZipFile('fixtures/zip64.npz', 'w', compression=zipfile.ZIP_STORED) as z:
    with z.open('Xtrain.npy', 'w', force_zip64=True) as f:
        f.write(npy_bytes((1000000000,), b'\0' * 16))

raw = bytearray(open('fixtures/zip64.npz', 'rb').read())
i = 0
while True:  # the zip64 extra fields (id 0x0001): both sizes claim 4 GB
    i = raw.find(b'\x01\x00', i)
    if i < 0:
        break
    if struct.unpack('<H', raw[i + 2:i + 4])[0] in (16, 24, 28) and i > 30:
        raw[i + 4:i + 12] = struct.pack('<Q', 4_000_000_000)
        raw[i + 12:i + 20] = struct.pack('<Q', 4_000_000_000)
    i += 2
open('fixtures/zip64-lying.npz', 'wb').write(raw)
