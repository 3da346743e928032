/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report needs besides JMH's numbers, kept in a side file next to the JMH JSON so that
 * tables and charts can be redrawn later from the committed files alone ({@code ./ika bench
 * --report FILE}).
 *
 * @param profile  quick, full, smoke
 * @param date     when the run started (ISO-8601)
 * @param seconds  the run's wall-clock time
 * @param timing   forks, warm-up and measurement, in words
 * @param machine  {@link MachineInfo#collect()}
 * @param peers    peer name to version (or why it was left out)
 * @param failures configurations that produced no number: implementation, kernel, params, message
 * @param command  the command line that made the run, as a user would type it
 */
public record RunInfo(String profile, String date, double seconds, String timing, Map<String, String> machine,
                      Map<String, String> peers, List<Map<String, String>> failures, String command) {

    public RunInfo(String profile, String date, double seconds, String timing, Map<String, String> machine,
                   Map<String, String> peers, List<Map<String, String>> failures) {
        this(profile, date, seconds, timing, machine, peers, failures,
                "./ika bench" + (profile.equals("quick") ? "" : " --" + profile));
    }

    public void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", profile);
        m.put("date", date);
        m.put("seconds", seconds);
        m.put("timing", timing);
        m.put("machine", machine);
        m.put("peers", peers);
        m.put("failures", failures);
        m.put("command", command);
        Files.writeString(file, Json.write(m));
    }

    public static RunInfo read(Path file) throws IOException {
        Map<?, ?> m = (Map<?, ?>) Json.parse(Files.readString(file));
        List<Map<String, String>> failures = new ArrayList<>();
        for (Object f : (List<?>) m.get("failures")) failures.add(strings(f));
        return new RunInfo(String.valueOf(m.get("profile")), String.valueOf(m.get("date")),
                ((Number) m.get("seconds")).doubleValue(), String.valueOf(m.get("timing")), strings(m.get("machine")),
                strings(m.get("peers")), failures, m.get("command") != null ? String.valueOf(m.get("command"))
                        : "./ika bench" + ("quick".equals(m.get("profile")) ? "" : " --" + m.get("profile")));
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
