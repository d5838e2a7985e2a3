package org.millrace.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.millrace.cli.DedupIT.Sent;
import org.millrace.runtime.testing.PseudoText;
import org.millrace.schemas.CleanDocument;

/**
 * Generated documents for the dedup tests: clusters of an original and its exact and near copies,
 * each cluster on one partition in order, the clusters interleaved.
 */
public final class DedupCorpus {

  private DedupCorpus() {}

  static List<Sent> clusters(int count, Random random) {
    List<List<Sent>> clusters = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      String original = PseudoText.words(150 + random.nextInt(100), random.nextLong());
      List<Sent> cluster = new ArrayList<>();
      cluster.add(new Sent(document("c" + c + "-0", original), c % 3));
      int copies = random.nextInt(4);
      for (int k = 1; k <= copies; k++) {
        String text =
            random.nextBoolean()
                ? original
                : PseudoText.replaceWords(original, 2 + random.nextInt(3), random.nextLong());
        cluster.add(new Sent(document("c" + c + "-" + k, text), c % 3));
      }
      clusters.add(cluster);
    }
    // interleave: repeatedly take the next document of a random cluster, keeping each cluster's
    // order
    List<Sent> corpus = new ArrayList<>();
    while (!clusters.isEmpty()) {
      int pick = random.nextInt(clusters.size());
      corpus.add(clusters.get(pick).remove(0));
      if (clusters.get(pick).isEmpty()) {
        clusters.remove(pick);
      }
    }
    return corpus;
  }

  static CleanDocument document(String id, String text) {
    return CleanDocument.newBuilder().setId(id).setSource("dedup-it").setText(text).build();
  }
}
