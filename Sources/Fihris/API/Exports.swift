// The analysis types (Analyzer, AnalyzerOptions, AnalyzerKind, Token, the stemmers) are part
// of Fihris's public API: embedders configure analysis and inspect tokens with them.
@_exported import TextAnalysis
// The query language (Query, QueryParser, QueryError) is public API too.
@_exported import QueryLanguage
