package org.millrace.producers.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A source tree or git working copy read as code data: every source file is a document with
 * metadata {@code kind=code}, {@code path} (relative to the tree), {@code language} (from the
 * extension), {@code repository} (the tree's folder name), and the tree's licence file name and
 * SPDX id when recognisable. Binaries (a NUL byte in the first 8 KiB, git's own test), vendored and
 * generated folders, and files over a size limit are skipped and counted, not published.
 */
public final class CodeTree {

  /** Folders of other people's code, build output, or git's own store. */
  static final Set<String> VENDORED_FOLDERS =
      Set.of(".git", "node_modules", "vendor", "third_party", "target", "build", "dist");

  /**
   * How much of a file is looked at for a NUL byte: 8000 bytes is what git's buffer_is_binary
   * reads.
   */
  static final int BINARY_PROBE_BYTES = 8 * 1024;

  private static final List<String> LICENCE_NAMES =
      List.of(
          "LICENSE",
          "LICENCE",
          "COPYING",
          "LICENSE.md",
          "LICENSE.txt",
          "LICENCE.md",
          "LICENCE.txt",
          "COPYING.md",
          "COPYING.txt",
          "LICENSE-MIT",
          "LICENSE-APACHE");

  private static final Map<String, String> LANGUAGES = languages();

  private final Path root;
  private final String licenceFile;
  private final String licenceSpdx;

  CodeTree(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Optional<Path> licence =
        LICENCE_NAMES.stream().map(this.root::resolve).filter(Files::isRegularFile).findFirst();
    this.licenceFile = licence.map(path -> path.getFileName().toString()).orElse(null);
    this.licenceSpdx =
        licence.isPresent()
            ? spdxOf(Files.readString(licence.get(), StandardCharsets.ISO_8859_1))
            : null;
  }

  /** A folder is a git working copy, hence code, when it has a {@code .git} folder (or file). */
  static boolean isGitWorkingCopy(Path folder) {
    return Files.exists(folder.resolve(".git"));
  }

  /** The files of the tree in sorted order, vendored folders left out. */
  List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return !dir.equals(root) && VENDORED_FOLDERS.contains(dir.getFileName().toString())
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    return files;
  }

  /** Publishes one file of the tree, or says why it was skipped. */
  void read(Path file, String source, long maxBytes, RecordSink sink) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes) {
      sink.skipped("code file over " + maxBytes + " bytes");
      return;
    }
    byte[] body;
    try (InputStream in = Files.newInputStream(file)) {
      body = in.readAllBytes();
    }
    if (isBinary(body)) {
      sink.skipped("binary file");
      return;
    }
    String path = root.relativize(file.toAbsolutePath().normalize()).toString();
    Map<String, String> metadata = new HashMap<>();
    metadata.put("kind", "code");
    metadata.put("path", path);
    metadata.put("language", languageOf(file));
    metadata.put("repository", root.getFileName() == null ? "/" : root.getFileName().toString());
    if (licenceFile != null) {
      metadata.put("licence_file", licenceFile);
    }
    if (licenceSpdx != null) {
      metadata.put("licence_spdx", licenceSpdx);
    }
    sink.plainTextDocument(Feeder.idOf(source), null, source, body, metadata);
  }

  static boolean isBinary(byte[] content) {
    int end = Math.min(content.length, BINARY_PROBE_BYTES);
    for (int i = 0; i < end; i++) {
      if (content[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** The language a file's name says, as GitHub Linguist names it; "unknown" otherwise. */
  static String languageOf(Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("makefile")) {
      return "Makefile";
    }
    if (lower.equals("dockerfile")) {
      return "Dockerfile";
    }
    int dot = lower.lastIndexOf('.');
    return dot < 0 ? "unknown" : LANGUAGES.getOrDefault(lower.substring(dot + 1), "unknown");
  }

  /**
   * The SPDX id of the commonest licences, from their own wording; null when not recognised. A
   * {@code SPDX-License-Identifier:} line wins.
   */
  static String spdxOf(String licence) {
    for (String line : licence.lines().limit(20).toList()) {
      int at = line.indexOf("SPDX-License-Identifier:");
      if (at >= 0) {
        return line.substring(at + "SPDX-License-Identifier:".length()).strip();
      }
    }
    String text = licence.replaceAll("\\s+", " ");
    if (text.contains("Apache License") && text.contains("Version 2.0")) {
      return "Apache-2.0";
    }
    if (text.contains("GNU LESSER GENERAL PUBLIC LICENSE")) {
      return text.contains("Version 3") ? "LGPL-3.0" : "LGPL-2.1";
    }
    if (text.contains("GNU AFFERO GENERAL PUBLIC LICENSE")) {
      return "AGPL-3.0";
    }
    if (text.contains("GNU GENERAL PUBLIC LICENSE")) {
      return text.contains("Version 3") ? "GPL-3.0" : "GPL-2.0";
    }
    if (text.contains("Mozilla Public License") && text.contains("2.0")) {
      return "MPL-2.0";
    }
    if (text.contains("Permission is hereby granted, free of charge")) {
      return "MIT";
    }
    if (text.contains("Redistribution and use in source and binary forms")) {
      return text.contains("Neither the name") || text.contains("names of its contributors")
          ? "BSD-3-Clause"
          : "BSD-2-Clause";
    }
    if (text.contains("Permission to use, copy, modify, and/or distribute this software")) {
      return "ISC";
    }
    if (text.contains("This is free and unencumbered software released into the public domain")) {
      return "Unlicense";
    }
    return null;
  }

  private static Map<String, String> languages() {
    Map<String, String> languages = new HashMap<>();
    String[][] table = {
      {"Java", "java"},
      {"Kotlin", "kt", "kts"},
      {"Scala", "scala"},
      {"Groovy", "groovy", "gradle"},
      {"Python", "py", "pyi"},
      {"JavaScript", "js", "mjs", "cjs", "jsx"},
      {"TypeScript", "ts", "tsx"},
      {"C", "c", "h"},
      {"C++", "cc", "cpp", "cxx", "hpp", "hh", "hxx"},
      {"C#", "cs"},
      {"Go", "go"},
      {"Rust", "rs"},
      {"Ruby", "rb"},
      {"PHP", "php"},
      {"Swift", "swift"},
      {"Objective-C", "m", "mm"},
      {"Shell", "sh", "bash", "zsh"},
      {"PowerShell", "ps1"},
      {"Perl", "pl", "pm"},
      {"Lua", "lua"},
      {"R", "r"},
      {"Julia", "jl"},
      {"Haskell", "hs"},
      {"OCaml", "ml", "mli"},
      {"Elixir", "ex", "exs"},
      {"Erlang", "erl"},
      {"Clojure", "clj", "cljs"},
      {"Dart", "dart"},
      {"SQL", "sql"},
      {"HTML", "html", "htm"},
      {"CSS", "css", "scss", "less"},
      {"Markdown", "md", "markdown"},
      {"reStructuredText", "rst"},
      {"JSON", "json"},
      {"YAML", "yml", "yaml"},
      {"TOML", "toml"},
      {"XML", "xml", "pom"},
      {"Protocol Buffer", "proto"},
      {"Avro", "avsc"},
      {"Text", "txt"},
      {"TeX", "tex"},
      {"Dockerfile", "dockerfile"},
      {"Zig", "zig"},
      {"Nim", "nim"},
      {"Fortran", "f90", "f"},
      {"CUDA", "cu", "cuh"},
      {"Assembly", "s", "asm"}
    };
    for (String[] row : table) {
      for (int i = 1; i < row.length; i++) {
        languages.put(row[i], row[0]);
      }
    }
    return Map.copyOf(languages);
  }
}
