/// The libFuzzer glue the three fuzzers share. SwiftPM names an executable's entry point
/// `<target>_main` and links `main` to it, so each fuzzer's entry point hands over to
/// libFuzzer's driver here; libFuzzer's own `main` (also linked, see scripts/fuzz.sh) would
/// drive `LLVMFuzzerTestOneInput` the same way.
#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, testOneInput)
}
#endif
