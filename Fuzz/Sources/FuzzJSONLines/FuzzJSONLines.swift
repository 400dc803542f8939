@_spi(Fuzzing) import Fihris
import FuzzSupport

// The JSON-lines reader on arbitrary bytes: any outcome but a crash, a hang or unbounded memory is fine.
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.jsonLines(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_cdecl("FuzzJSONLines_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzEntry.replay(FuzzEntry.jsonLines) } }
#endif
