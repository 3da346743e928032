/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.testkit.TestData;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model reader on the shipped models, whose contents cases.json spells out. */
class OnnxModelTest {
    private static OnnxModel model(String name) throws IOException {
        return OnnxModel.read(TestData.conformanceDir().resolve(name).resolve("model.onnx"));
    }

    @Test
    void readsNodeInputsOutputsAndGraphNames() throws IOException {
        OnnxModel m = model("test_attention_4d_with_past_and_present");
        assertEquals(1, m.nodes().size());
        OnnxNode n = m.nodes().getFirst();
        assertTrue(n.isOnnxOp("Attention"));
        assertEquals(List.of("Q", "K", "V", "attn_mask", "past_key", "past_value"), n.inputs());
        assertEquals(List.of("Y", "present_key", "present_value"), n.outputs());
        assertEquals(n.inputs(), m.inputs());
        assertEquals(n.outputs(), m.outputs());
        assertTrue(m.opsets().get("") >= 23, "opset " + m.opsets());
    }

    @Test
    void emptyInputNamesMarkAbsentOptionalInputs() throws IOException {
        OnnxNode n = model("test_attention_4d_diff_heads_mask4d_padded_kv").nodes().getFirst();
        assertEquals(List.of("Q", "K", "V", "attn_mask", "", "", "nonpad_kv_seqlen"), n.inputs());
        assertEquals("", n.input(4));
        assertEquals("nonpad_kv_seqlen", n.input(6));
    }

    @Test
    void readsIntAndFloatAttributes() throws IOException {
        OnnxNode gqa = model("test_attention_3d_gqa").nodes().getFirst();
        assertEquals(9, gqa.attributes().get("q_num_heads").i());
        assertEquals(3, gqa.attributes().get("kv_num_heads").i());
        assertEquals(OnnxAttribute.Type.INT, gqa.attributes().get("q_num_heads").type());
        OnnxAttribute softcap = model("test_attention_4d_softcap").nodes().getFirst().attributes().get("softcap");
        assertEquals(OnnxAttribute.Type.FLOAT, softcap.type());
        assertEquals(2.0f, softcap.f());
        assertEquals(0.01f, model("test_attention_4d_scaled").nodes().getFirst().attributes().get("scale").f());
        assertEquals(1, model("test_attention_4d_causal").nodes().getFirst().attributes().get("is_causal").i());
        assertTrue(model("test_attention_4d").nodes().getFirst().attributes().isEmpty());
    }

    @Test
    void readsIntsAttributesAndNegativeInts() {
        ProtoWriter ints = new ProtoWriter().string(1, "axes").packedVarints(8, 1, -2, 3).varint(20, 7);
        byte[] bytes = ProtoWriter.model(ProtoWriter.node("Foo", new String[] {"x"}, new String[] {"y"}, ints,
                ProtoWriter.intAttribute("k", -5)), new String[] {"x"}, new String[] {"y"});
        OnnxNode n = OnnxModel.parse(bytes).nodes().getFirst();
        assertEquals(List.of(1L, -2L, 3L), java.util.Arrays.stream(n.attributes().get("axes").ints()).boxed().toList());
        assertEquals(-5, n.attributes().get("k").i());
        assertEquals("Foo", n.opType());
    }
}
