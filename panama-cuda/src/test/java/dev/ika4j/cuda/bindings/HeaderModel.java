/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one of our {@code native-headers/*.h} declares, read with a parser just big enough for
 * the plain C in them: typedefs, enums with explicit values, and function prototypes.
 */
record HeaderModel(String file, List<Function> functions, Map<String, Long> enumerators) {

    /** The ABI class of a C type, as far as a downcall cares. */
    enum Kind { POINTER, INT, LONG_LONG, SIZE_T, FLOAT, BYTE }

    /** {@code ret} is null for {@code void}. */
    record Function(String name, Kind ret, List<Kind> params, String declaration) {
    }

    private static final Pattern ENUM = Pattern.compile(
            "(typedef\\s+)?enum\\s*(\\w*)\\s*\\{([^}]*)\\}\\s*(\\w*)\\s*;");
    private static final Pattern ENUM_TYPEDEF = Pattern.compile("typedef\\s+enum\\s+(\\w+)\\s+(\\w+)\\s*;");
    private static final Pattern TYPEDEF = Pattern.compile("typedef\\s+([^;{}]+?)\\s*(\\*?)\\s*(\\w+)\\s*;");
    private static final Pattern FUNCTION = Pattern.compile("^(.*?)\\b(\\w+)\\s*\\((.*)\\)$");

    static Path headersDir() {
        String property = System.getProperty("ika.native.headers");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("native-headers/ika_cuda.h"))) {
                return dir.resolve("native-headers");
            }
        }
        throw new IllegalStateException("native-headers/ not found from " + Path.of("").toAbsolutePath());
    }

    static HeaderModel read(String file) throws IOException {
        return parse(file, Files.readString(headersDir().resolve(file)));
    }

    static HeaderModel parse(String file, String source) {
        String text = source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
        StringBuilder code = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("#") && !trimmed.equals("extern \"C\" {") && !trimmed.equals("}")) {
                code.append(line).append('\n');
            }
        }
        text = code.toString();

        Map<String, Kind> types = new HashMap<>();
        Map<String, Long> enumerators = new LinkedHashMap<>();
        Matcher e = ENUM.matcher(text);
        while (e.find()) {
            for (String item : e.group(3).split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                String[] parts = item.split("=");
                if (parts.length != 2) {
                    throw new IllegalArgumentException(file + ": enumerator without an explicit value: " + item.strip());
                }
                enumerators.put(parts[0].strip(), Long.decode(parts[1].strip()));
            }
            if (!e.group(2).isEmpty()) {
                types.put("enum " + e.group(2), Kind.INT);
            }
            if (!e.group(4).isEmpty()) {
                types.put(e.group(4), Kind.INT);
            }
        }
        text = ENUM.matcher(text).replaceAll(" ");
        Matcher et = ENUM_TYPEDEF.matcher(text);
        while (et.find()) {
            types.put(et.group(2), Kind.INT);
        }
        text = ENUM_TYPEDEF.matcher(text).replaceAll(" ");
        Matcher t = TYPEDEF.matcher(text);
        Map<String, String> aliases = new LinkedHashMap<>();
        while (t.find()) {
            aliases.put(t.group(3), t.group(1) + (t.group(2).isEmpty() ? "" : " *"));
        }
        text = TYPEDEF.matcher(text).replaceAll(" ");
        for (var alias : aliases.entrySet()) {
            types.put(alias.getKey(), kind(alias.getValue(), types, file));
        }

        List<Function> functions = new ArrayList<>();
        for (String statement : text.split(";")) {
            String declaration = String.join(" ", statement.strip().split("\\s+"));
            if (declaration.isEmpty()) {
                continue;
            }
            Matcher f = FUNCTION.matcher(declaration);
            if (!f.matches()) {
                throw new IllegalArgumentException(file + ": cannot read declaration: " + declaration);
            }
            String ret = f.group(1).strip();
            List<Kind> params = new ArrayList<>();
            String paramText = f.group(3).strip();
            if (!paramText.equals("void")) {
                for (String param : paramText.split(",")) {
                    String p = param.strip();
                    String type = p.substring(0, p.length() - p.replaceAll("^.*?(\\w+)$", "$1").length());
                    params.add(kind(type, types, file));
                }
            }
            functions.add(new Function(f.group(2), ret.equals("void") ? null : kind(ret, types, file),
                    List.copyOf(params), declaration));
        }
        return new HeaderModel(file, List.copyOf(functions), Map.copyOf(enumerators));
    }

    private static Kind kind(String type, Map<String, Kind> types, String file) {
        if (type.contains("*")) {
            return Kind.POINTER;
        }
        String t = String.join(" ", type.replace("const", " ").strip().split("\\s+"));
        Kind known = types.get(t);
        if (known != null) {
            return known;
        }
        return switch (t) {
            case "int", "unsigned int" -> Kind.INT;
            case "unsigned long long", "long long", "long long int" -> Kind.LONG_LONG;
            case "size_t" -> Kind.SIZE_T;
            case "float" -> Kind.FLOAT;
            case "unsigned char" -> Kind.BYTE;
            default -> throw new IllegalArgumentException(file + ": unknown C type '" + t + "'");
        };
    }
}
