// Lucene peer for Benchmarks/peers/run.py: indexes the corpus with ArabicAnalyzer (Lucene's
// normalizer + light10 stemmer), runs the query set with the classic QueryParser, top 10,
// timing parse + search + id fetch, and prints one JSON object on standard output.
//
//   java -cp anserini-fatjar.jar:. LuceneBench corpus.jsonl queries.jsonl indexDir runs
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.store.FSDirectory;

public class LuceneBench {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path indexPath = Paths.get(args[2]);
        int runs = Integer.parseInt(args[3]);
        Analyzer analyzer = new PerFieldAnalyzerWrapper(new ArabicAnalyzer(), Map.of("collection", new KeywordAnalyzer()));
        long start = System.nanoTime();
        try (FSDirectory dir = FSDirectory.open(indexPath);
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(analyzer).setRAMBufferSizeMB(256)
                     .setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
            try (BufferedReader in = Files.newBufferedReader(Paths.get(args[0]))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) continue;
                    JsonNode d = json.readTree(line);
                    Document doc = new Document();
                    doc.add(new StringField("id", d.get("id").asText(), Field.Store.YES));
                    doc.add(new StringField("collection", d.get("collection").asText(), Field.Store.NO));
                    doc.add(new TextField("text", d.get("text").asText(), Field.Store.NO));
                    writer.addDocument(doc);
                }
            }
            writer.commit();
        }
        double indexSeconds = (System.nanoTime() - start) / 1e9;
        long bytes = 0;
        try (var files = Files.list(indexPath)) { for (Path p : (Iterable<Path>) files::iterator) bytes += Files.size(p); }

        List<JsonNode> queries = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(args[1]))) if (!line.isBlank()) queries.add(json.readTree(line));
        String[] classes = {"term", "or", "and", "phrase", "filter", "prefix"};
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        Map<String, Integer> hits = new LinkedHashMap<>();
        for (String c : classes) { latency.put(c, new ArrayList<>()); hits.put(c, 0); }
        int errors = 0;
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(indexPath))) {
            IndexSearcher searcher = new IndexSearcher(reader);

            for (int run = 0; run <= runs; run++) {
                for (JsonNode q : queries) {
                    String cls = q.get("class").asText();
                    long t0 = System.nanoTime();
                    int found;
                    try {
                        QueryParser parser = new QueryParser("text", analyzer);
                        TopDocs top = searcher.search(parser.parse(q.get("q").asText()), 10);
                        found = 0;
                        for (ScoreDoc sd : top.scoreDocs) { searcher.doc(sd.doc).get("id"); found++; }
                    } catch (Exception e) {
                        if (run == 0) errors++;
                        continue;
                    }
                    double micros = (System.nanoTime() - t0) / 1e3;
                    if (run > 0) latency.get(cls).add(micros); else hits.put(cls, hits.get(cls) + found);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index_seconds", indexSeconds);
        out.put("index_bytes", bytes);
        out.put("latency", latency);
        out.put("errors", errors);
        out.put("hits", hits);
        System.out.println(json.writeValueAsString(out));
    }
}
