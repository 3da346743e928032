/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX node ({@code NodeProto}). {@code inputs} and {@code outputs} are positional: an empty
 * name marks an optional input or output that is absent, so position i is always role i of the
 * operator.
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, OnnxAttribute> attributes) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Whether this is an operator of the default ONNX domain with the given type. */
    public boolean isOnnxOp(String type) {
        return opType.equals(type) && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    /** The input name at {@code position}, or "" when absent. */
    public String input(int position) {
        return position < inputs.size() ? inputs.get(position) : "";
    }

    /** The output name at {@code position}, or "" when absent. */
    public String output(int position) {
        return position < outputs.size() ? outputs.get(position) : "";
    }

    static OnnxNode parse(ProtoReader r) {
        String name = "", opType = "", domain = "";
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (ProtoReader.field(tag)) {
                case 1 -> inputs.add(r.readString());
                case 2 -> outputs.add(r.readString());
                case 3 -> name = r.readString();
                case 4 -> opType = r.readString();
                case 7 -> domain = r.readString();
                case 5 -> {
                    OnnxAttribute a = OnnxAttribute.parse(r.message());
                    if (attributes.putIfAbsent(a.name(), a) != null) {
                        throw new OnnxFormatException("node '" + name + "' (" + opType + ") has attribute '" + a.name() + "' twice");
                    }
                }
                default -> r.skip(ProtoReader.wireType(tag));
            }
        }
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes);
    }
}
