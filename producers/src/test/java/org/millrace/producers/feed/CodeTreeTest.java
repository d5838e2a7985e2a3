package org.millrace.producers.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CodeTreeTest {

  @Test
  void theLanguageComesFromTheFileName() {
    assertThat(CodeTree.languageOf(Path.of("src/Main.java"))).isEqualTo("Java");
    assertThat(CodeTree.languageOf(Path.of("lib/util.PY"))).isEqualTo("Python");
    assertThat(CodeTree.languageOf(Path.of("Makefile"))).isEqualTo("Makefile");
    assertThat(CodeTree.languageOf(Path.of("kernel.cu"))).isEqualTo("CUDA");
    assertThat(CodeTree.languageOf(Path.of("data.bin"))).isEqualTo("unknown");
  }

  @Test
  void commonLicencesAreRecognisedByTheirWording() {
    assertThat(
            CodeTree.spdxOf(
                "                                 Apache License\n"
                    + "                           Version 2.0, January 2004\n"))
        .isEqualTo("Apache-2.0");
    assertThat(CodeTree.spdxOf("GNU GENERAL PUBLIC LICENSE\n   Version 3, 29 June 2007"))
        .isEqualTo("GPL-3.0");
    assertThat(
            CodeTree.spdxOf(
                "Copyright (c) 2020 X\n\n"
                    + "Redistribution and use in source and binary forms, with or without\n"
                    + "modification, are permitted... Neither the name"))
        .isEqualTo("BSD-3-Clause");
    assertThat(CodeTree.spdxOf("// SPDX-License-Identifier: EPL-2.0\n")).isEqualTo("EPL-2.0");
    assertThat(CodeTree.spdxOf("All rights reserved.")).isNull();
  }

  @Test
  void aNulByteInTheFirst8KiBIsBinary() {
    byte[] text = "plain".repeat(2000).getBytes();
    byte[] late = text.clone();
    late[late.length - 1] = 0; // after the probe: git would call this text too
    byte[] early = text.clone();
    early[10] = 0;

    assertThat(CodeTree.isBinary(text)).isFalse();
    assertThat(CodeTree.isBinary(late)).isFalse();
    assertThat(CodeTree.isBinary(early)).isTrue();
  }
}
