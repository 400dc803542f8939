@_spi(Fuzzing) import Fihris
import FuzzSupport

// The readers of HTML, XHTML, Markdown, CSV, TSV, PDF structured text and EPUB on arbitrary bytes (the first byte chooses): any outcome but a crash, a hang or unbounded memory is fine.
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.ingest(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_cdecl("FuzzIngest_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzEntry.replay(FuzzEntry.ingest) } }
#endif
