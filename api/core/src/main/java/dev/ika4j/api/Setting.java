/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting read from the process: a system property, else an environment variable, else
 * nothing (the caller's default applies). Every value is checked when it is read; a bad one is an
 * {@link IllegalArgumentException} that names where it came from, the value and what is allowed,
 * for example {@code ika.threads (system property) must be an integer >= 1, got 'four'}.
 *
 * <p>Every setting ika4j reads is a constant of {@link Settings}; {@code docs/settings.md} is the
 * table of all of them.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {
    private final String property;
    private final String environment;
    private final String allowed;
    private final String defaultValue;
    private final String meaning;
    private final Function<String, T> parser;

    private Setting(String property, String environment, String allowed, String defaultValue, String meaning,
                    Function<String, T> parser) {
        this.property = property;
        this.environment = environment;
        this.allowed = allowed;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
        this.parser = parser;
    }

    /**
     * A setting whose environment variable is the property upper-cased with dots and camel humps
     * as underscores ({@code ika.cuda.path} -> {@code IKA_CUDA_PATH}).
     *
     * @param allowed      the allowed values, in words, as error messages and the table show them
     * @param defaultValue the default, in words
     * @param parser       returns the value, or null when the text is not allowed
     */
    static <T> Setting<T> of(String property, String allowed, String defaultValue, String meaning, Function<String, T> parser) {
        return new Setting<>(property, environmentName(property), allowed, defaultValue, meaning, parser);
    }

    static String environmentName(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The system property, {@code ika.*}. */
    public String property() { return property; }

    /** The environment variable, {@code IKA_*}; the system property wins when both are set. */
    public String environment() { return environment; }

    /** The allowed values, in words. */
    public String allowed() { return allowed; }

    /** The default, in words. */
    public String defaultValue() { return defaultValue; }

    /** What it does. */
    public String meaning() { return meaning; }

    /**
     * The value set in this process: the system property if set and not blank, else the
     * environment variable if set and not blank, else empty.
     *
     * @throws IllegalArgumentException naming the property or variable, the value and what is allowed
     */
    public Optional<T> read() {
        String p = System.getProperty(property);
        if (p != null && !p.isBlank()) return Optional.of(parse(p, property + " (system property)"));
        String e = System.getenv(environment);
        if (e != null && !e.isBlank()) return Optional.of(parse(e, environment + " (environment variable)"));
        return Optional.empty();
    }

    /** {@link #read()}, or {@code fallback} when the setting is not set. */
    public T get(T fallback) {
        return read().orElse(fallback);
    }

    /**
     * Checks an explicit value given in code (the text form goes through the same parser), so a
     * typed setting and the property reject the same values with the same words.
     */
    T parse(String text, String source) {
        T v;
        try {
            v = parser.apply(text.strip());
        } catch (RuntimeException e) {
            v = null;
        }
        if (v == null) {
            throw new IllegalArgumentException(source + " must be " + allowed + ", got '" + text + "'");
        }
        return v;
    }

    @Override
    public String toString() {
        return property + " / " + environment;
    }

    // ---- parsers shared by the constants of Settings -----------------------------------------

    static Function<String, Integer> intAtLeast(int min) {
        return s -> {
            int v = Integer.parseInt(s);
            return v >= min ? v : null;
        };
    }

    static Function<String, Integer> intBetween(int min, int max) {
        return s -> {
            int v = Integer.parseInt(s);
            return v >= min && v <= max ? v : null;
        };
    }

    static Function<String, Long> longAtLeast(long min) {
        return s -> {
            long v = Long.parseLong(s);
            return v >= min ? v : null;
        };
    }

    static Function<String, Boolean> bool() {
        return s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return s -> {
            for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s)) return e;
            return null;
        };
    }
}
