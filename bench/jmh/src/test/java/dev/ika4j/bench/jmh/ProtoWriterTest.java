/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The wire format, against the examples of the protobuf encoding guide. */
class ProtoWriterTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Test
    void varintField() {
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().int64(1, 150).toByteArray());
        assertArrayEquals(bytes(0x08, 0x00), new ProtoWriter().int64(1, 0).toByteArray());
        // Negative int64 takes ten bytes.
        assertArrayEquals(bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
                new ProtoWriter().int64(1, -1).toByteArray());
    }

    @Test
    void stringAndNestedMessage() {
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'), new ProtoWriter().string(2, "testing").toByteArray());
        assertArrayEquals(bytes(0x1a, 0x03, 0x08, 0x96, 0x01), new ProtoWriter().message(3, new ProtoWriter().int64(1, 150)).toByteArray());
    }

    @Test
    void fixed32FloatIsLittleEndian() {
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3f), new ProtoWriter().float32(2, 1.0f).toByteArray());
    }

    @Test
    void fieldNumbersAbove15TakeTwoTagBytes() {
        assertArrayEquals(bytes(0xa0, 0x01, 0x02), new ProtoWriter().int64(20, 2).toByteArray());
    }
}
