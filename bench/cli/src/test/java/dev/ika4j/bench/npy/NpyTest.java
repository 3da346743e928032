/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsFloat32AndFloat64() throws Exception {
        float[] f = {1.5f, -2f, 3.25f, Float.NEGATIVE_INFINITY, Float.NaN, 7f};
        Path a = dir.resolve("a.npy");
        Npy.writeFloat32(a, f, 2, 3);
        Npy.Array ra = Npy.read(a);
        assertArrayEquals(new int[] {2, 3}, ra.shape());
        assertArrayEquals(f, ra.toFloats());
        byte[] raw = Files.readAllBytes(a);
        assertEquals(0, (10 + ((raw[8] & 0xff) | (raw[9] & 0xff) << 8)) % 64, "data starts on a 64-byte boundary");
        double[] d = {Math.PI, -1e300, 1e-300};
        Path b = dir.resolve("b.npy");
        Npy.writeFloat64(b, d, 3);
        assertArrayEquals(d, Npy.read(b).data());
        assertArrayEquals(new int[] {3}, Npy.read(b).shape());
        String header = new String(Files.readAllBytes(b), 10, 60, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"), header);
    }

    /** Files as NumPy writes them in other flavours: big-endian, version 2, bool. */
    @Test
    void roundTripsFloat16BitForBit() throws Exception {
        short[] h = {0x3c00, (short) 0xc000, 0x0001, 0x7bff, (short) 0xfc00, 0x7e00, 0x0000, (short) 0x8000};
        Path a = dir.resolve("h.npy");
        Npy.writeFloat16(a, h, 2, 4);
        Npy.Array r = Npy.read(a);
        org.junit.jupiter.api.Assertions.assertTrue(r.isFloat16(), r.dtype());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 4}, r.shape());
        org.junit.jupiter.api.Assertions.assertEquals(1.0, r.data()[0]);
        org.junit.jupiter.api.Assertions.assertEquals(Math.scalb(1.0, -24), r.data()[2], "the smallest subnormal, exactly");
        org.junit.jupiter.api.Assertions.assertEquals(65504.0, r.data()[3]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(h, r.toFloat16());
    }

    @Test
    void readsOtherFlavours() throws Exception {
        Path be = dir.resolve("be.npy");
        ByteBuffer body = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.25f).putFloat(-3f);
        Files.write(be, file(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", body.array()));
        assertArrayEquals(new float[] {1.25f, -3f}, Npy.read(be).toFloats());
        Path v2 = dir.resolve("v2.npy");
        ByteBuffer le = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(2.5).putDouble(4);
        Files.write(v2, file(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", le.array()));
        assertArrayEquals(new double[] {2.5, 4}, Npy.read(v2).data());
        Path bool = dir.resolve("bool.npy");
        Files.write(bool, file(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[] {1, 0, 1}));
        Npy.Array ba = Npy.read(bool);
        assertTrue(ba.isBool());
        assertArrayEquals(new boolean[] {true, false, true}, ba.toBooleans());
    }

    @Test
    void rejectsWhatItCannotRead() throws Exception {
        Path fo = dir.resolve("f.npy");
        Files.write(fo, file(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(fo)).getMessage().contains("Fortran"));
        Path u2 = dir.resolve("u.npy");
        Files.write(u2, file(1, "{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }", new byte[2]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(u2)).getMessage().contains("<u2"));
        Path i32 = dir.resolve("i32.npy"), i64 = dir.resolve("i64.npy");
        Npy.writeInt32(i32, new int[] {0, -7, Integer.MAX_VALUE}, 3);
        Npy.writeInt64(i64, new long[] {0, 1L << 40, -3}, 3);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, -7, Integer.MAX_VALUE}, Npy.read(i32).toLongs());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 1L << 40, -3}, Npy.read(i64).toLongs());
        assertTrue(Npy.read(i64).isInteger() && Npy.read(i32).dtype().equals("<i4"));
        Path big = dir.resolve("big.npy");
        Npy.writeInt64(big, new long[] {(1L << 53) + 1}, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(big)).getMessage().contains("2^53"));
        Path shortFile = dir.resolve("s.npy");
        Files.write(shortFile, file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[8]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(shortFile)).getMessage().contains("truncated"));
        Path junk = dir.resolve("j.npy");
        Files.write(junk, "hello world".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.read(junk)).getMessage().contains("not a .npy"));
    }

    private static byte[] file(int version, String dict, byte[] body) {
        int pre = version == 1 ? 10 : 12;
        int pad = (64 - (pre + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        ByteBuffer len = ByteBuffer.allocate(version == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) len.putShort((short) header.length());
        else len.putInt(header.length());
        out.writeBytes(len.array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
