package dev.snsrelay.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The realistic chat events in samples/events, one per file. */
public final class SampleEvents {

    public static final Path FOLDER = Path.of("samples/events");
    /** The one sample above SNS's 262,144-byte limit. */
    public static final String OVERSIZE = "091-message.new-262200B.json";

    private SampleEvents() {
    }

    public record Sample(String name, byte[] bytes) {
        public String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** A webhook id made from the file name: letters, digits, '.', '-' only. */
        public String id() {
            return name.replace(".json", "");
        }
    }

    public static List<Sample> all() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted()
                    .map(p -> new Sample(p.getFileName().toString(), read(p))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Sample> deliverable() {
        return all().stream().filter(s -> !s.name().equals(OVERSIZE)).toList();
    }

    public static Sample named(String name) {
        return new Sample(name, read(FOLDER.resolve(name)));
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
