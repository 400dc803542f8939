import Foundation

/// A fresh temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "fihris-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relativePath: String, _ contents: String) {
        let full = path + "/" + relativePath
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! contents.write(toFile: full, atomically: true, encoding: .utf8)
    }
}

/// The repository's corpus/ folder.
let repositoryCorpus: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        let candidate = url.appendingPathComponent("corpus").path
        if FileManager.default.fileExists(atPath: candidate + "/hadith-sample.jsonl") { return candidate }
    }
    fatalError("corpus/ not found above \(#filePath)")
}()
