/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX {@code ModelProto} a node test needs: the graph's nodes, its input and
 * output names in order (the order of a test's {@code input_N.pb} / {@code output_N.pb}), its
 * initializers, and the opset versions imported.
 */
public record OnnxModel(long irVersion, Map<String, Long> opsets, String graphName, List<OnnxNode> nodes,
                        List<String> inputs, List<String> outputs, Map<String, OnnxTensor> initializers) {
    public OnnxModel {
        opsets = Map.copyOf(opsets);
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        initializers = Map.copyOf(initializers);
    }

    /** Reads a {@code model.onnx} file. */
    public static OnnxModel read(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (OnnxFormatException e) {
            throw new OnnxFormatException(file + ": " + e.getMessage(), e);
        }
    }

    public static OnnxModel parse(byte[] bytes) {
        ProtoReader r = new ProtoReader(bytes);
        long ir = 0;
        Map<String, Long> opsets = new LinkedHashMap<>();
        Graph graph = null;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (ProtoReader.field(tag)) {
                case 1 -> ir = r.readVarint();
                case 7 -> graph = parseGraph(r.message());
                case 8 -> parseOpset(r.message(), opsets);
                default -> r.skip(ProtoReader.wireType(tag));
            }
        }
        if (graph == null) throw new OnnxFormatException("model has no graph");
        return new OnnxModel(ir, opsets, graph.name, graph.nodes, graph.inputs, graph.outputs, graph.initializers);
    }

    /**
     * The graph inputs that a test feeds, in order: every graph input that is not also an
     * initializer (before IR version 4, initializers were listed as inputs too).
     */
    public List<String> fedInputs() {
        return inputs.stream().filter(n -> !initializers.containsKey(n)).toList();
    }

    private record Graph(String name, List<OnnxNode> nodes, List<String> inputs, List<String> outputs,
                         Map<String, OnnxTensor> initializers) {}

    private static Graph parseGraph(ProtoReader r) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        Map<String, OnnxTensor> inits = new LinkedHashMap<>();
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (ProtoReader.field(tag)) {
                case 1 -> nodes.add(OnnxNode.parse(r.message()));
                case 2 -> name = r.readString();
                case 5 -> {
                    OnnxTensor t = OnnxTensor.parse(r.message());
                    inits.put(t.name(), t);
                }
                case 11 -> inputs.add(valueInfoName(r.message()));
                case 12 -> outputs.add(valueInfoName(r.message()));
                default -> r.skip(ProtoReader.wireType(tag));
            }
        }
        return new Graph(name, nodes, inputs, outputs, inits);
    }

    private static String valueInfoName(ProtoReader r) {
        String name = "";
        while (r.hasMore()) {
            int tag = r.readTag();
            if (ProtoReader.field(tag) == 1) name = r.readString();
            else r.skip(ProtoReader.wireType(tag));
        }
        return name;
    }

    private static void parseOpset(ProtoReader r, Map<String, Long> out) {
        String domain = "";
        long version = 0;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (ProtoReader.field(tag)) {
                case 1 -> domain = r.readString();
                case 2 -> version = r.readVarint();
                default -> r.skip(ProtoReader.wireType(tag));
            }
        }
        out.put(domain, version);
    }
}
