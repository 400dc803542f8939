@_spi(Fuzzing) import Fihris

/// The query parser and binder on arbitrary bytes: any outcome but a crash or a hang is fine.
func fuzz(_ bytes: UnsafeRawBufferPointer) { FuzzEntry.query(bytes) }

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

// libFuzzer drives the target; SwiftPM names an executable's entry point <target>_main, so
// that entry point hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("FuzzQuery_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        fuzz(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main struct Replay { static func main() { FuzzEntry.replay(fuzz) } }
#endif
