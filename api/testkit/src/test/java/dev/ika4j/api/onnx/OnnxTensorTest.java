/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The TensorProto reader on hand-encoded bytes (every encoding the format allows) and on the shipped files. */
class OnnxTensorTest {
    private static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void floatRawDataWithPackedDims() {
        byte[] pb = new ProtoWriter().packedVarints(1, 2, 3).varint(2, 1).string(8, "Q")
                .bytes(9, le(1.5f, -2f, 3.25f, 4f, -5.5f, 6f)).toByteArray();
        OnnxTensor t = OnnxTensor.parse(pb);
        assertEquals("Q", t.name());
        assertEquals(OnnxTensor.DataType.FLOAT, t.dataType());
        assertArrayEquals(new long[] {2, 3}, t.dims());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f, 4f, -5.5f, 6f}, t.floats());
    }

    @Test
    void unpackedDimsAndFloatDataInEitherEncoding() {
        byte[] unpacked = new ProtoWriter().varint(1, 1).varint(1, 3).varint(2, 1)
                .floatField(4, 0.5f).floatField(4, -1f).floatField(4, 7f).toByteArray();
        assertArrayEquals(new float[] {0.5f, -1f, 7f}, OnnxTensor.parse(unpacked).floats());
        assertArrayEquals(new long[] {1, 3}, OnnxTensor.parse(unpacked).dims());
        byte[] packed = new ProtoWriter().packedVarints(1, 3).varint(2, 1).packedFloats(4, 0.5f, -1f, 7f).toByteArray();
        assertArrayEquals(new float[] {0.5f, -1f, 7f}, OnnxTensor.parse(packed).floats());
    }

    @Test
    void int64FromRawDataAndFromInt64Data() {
        ByteBuffer raw = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(-7);
        OnnxTensor a = OnnxTensor.parse(new ProtoWriter().varint(1, 2).varint(2, 7).bytes(9, raw.array()).toByteArray());
        assertArrayEquals(new long[] {3, -7}, a.longs());
        OnnxTensor b = OnnxTensor.parse(new ProtoWriter().varint(1, 2).varint(2, 7).packedVarints(7, 3, -7).toByteArray());
        assertArrayEquals(new long[] {3, -7}, b.longs());
    }

    @Test
    void boolFromRawDataAndFromInt32Data() {
        OnnxTensor a = OnnxTensor.parse(new ProtoWriter().varint(1, 3).varint(2, 9).bytes(9, new byte[] {1, 0, 1}).toByteArray());
        assertArrayEquals(new boolean[] {true, false, true}, a.bools());
        OnnxTensor b = OnnxTensor.parse(new ProtoWriter().varint(1, 3).varint(2, 9).packedVarints(5, 0, 1, 1).toByteArray());
        assertArrayEquals(new boolean[] {false, true, true}, b.bools());
    }

    @Test
    void float16IsWidenedExactly() {
        // 1.0, -2.0, 65504 (largest half), 2^-24 (smallest subnormal), +inf, 0.333251953125 (0x3555)
        short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555};
        float[] want = {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, 0.333251953125f};
        ByteBuffer raw = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : bits) raw.putShort(s);
        OnnxTensor a = OnnxTensor.parse(new ProtoWriter().varint(1, bits.length).varint(2, 10).bytes(9, raw.array()).toByteArray());
        assertArrayEquals(want, a.floats());
        long[] asInts = new long[bits.length];
        for (int i = 0; i < bits.length; i++) asInts[i] = bits[i] & 0xffff;
        OnnxTensor b = OnnxTensor.parse(new ProtoWriter().varint(1, bits.length).varint(2, 10).packedVarints(5, asInts).toByteArray());
        assertArrayEquals(want, b.floats());
    }

    @Test
    void rejectsMalformedAndUnsupportedInput() {
        byte[] good = new ProtoWriter().varint(1, 2).varint(2, 1).bytes(9, le(1f, 2f)).toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxTensor.parse(truncated)).getMessage().contains("malformed"));
        byte[] shortRaw = new ProtoWriter().varint(1, 3).varint(2, 1).bytes(9, le(1f, 2f)).toByteArray();
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxTensor.parse(shortRaw)).getMessage().contains("raw_data"));
        byte[] dbl = new ProtoWriter().varint(1, 1).varint(2, 11).bytes(9, new byte[8]).toByteArray();
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxTensor.parse(dbl)).getMessage().contains("DOUBLE"));
        byte[] external = new ProtoWriter().varint(1, 1).varint(2, 1).varint(14, 1).toByteArray();
        assertTrue(assertThrows(OnnxFormatException.class, () -> OnnxTensor.parse(external)).getMessage().contains("external"));
    }

    @Test
    void readsTheShippedFiles() throws IOException {
        var dir = TestData.conformanceDir().resolve("test_attention_4d_diff_heads_mask4d_padded_kv/test_data_set_0");
        OnnxTensor v = OnnxTensor.read(dir.resolve("input_2.pb"));
        assertEquals("V", v.name());
        assertArrayEquals(new long[] {2, 3, 6, 10}, v.dims());
        assertEquals(360, v.floats().length);
        OnnxTensor lens = OnnxTensor.read(dir.resolve("input_4.pb"));
        assertEquals(OnnxTensor.DataType.INT64, lens.dataType());
        assertEquals(2, lens.longs().length);
        OnnxTensor half = OnnxTensor.read(TestData.conformanceDir().resolve("test_attention_4d_fp16/test_data_set_0/input_0.pb"));
        assertEquals(OnnxTensor.DataType.FLOAT16, half.dataType());
        for (float x : half.floats()) assertEquals(x, Float.float16ToFloat(Float.floatToFloat16(x)), "representable in half");
        OnnxTensor mask = OnnxTensor.read(TestData.conformanceDir().resolve("test_attention_4d_attn_mask_bool/test_data_set_0/input_3.pb"));
        assertEquals(OnnxTensor.DataType.BOOL, mask.dataType());
        assertArrayEquals(new long[] {4, 6}, mask.dims());
    }
}
