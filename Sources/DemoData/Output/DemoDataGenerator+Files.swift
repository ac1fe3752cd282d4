extension DemoDataGenerator {
    /// Generates the directory into files: what `annuaire demo-data [--credentials FILE] [OUT]` does.
    ///
    /// - Parameters:
    ///   - ldifPath: the LDIF file, created or truncated; `nil` or `-` writes to standard output.
    ///   - credentialsPath: the credentials file (`identifier<TAB>dn<TAB>password<TAB>role` lines); `nil` writes none.
    /// - Throws: ``DemoDataError/output(path:reason:)`` when a file cannot be created or written.
    public func generate(ldifPath: String?, credentialsPath: String?) throws(DemoDataError) -> DemoDataSummary {
        let ldifOutput = try BufferedFileOutput(path: ldifPath)
        let credentialsOutput = try credentialsPath.map { path throws(DemoDataError) in
            try BufferedFileOutput(path: path)
        }
        let summary: DemoDataSummary
        do {
            summary = try generate(
                ldif: { try ldifOutput.write($0) },
                credentials: credentialsOutput.map { output in
                    { line in try output.write(Array((line.text + "\n").utf8)) }
                }
            )
        } catch let error as DemoDataError {
            throw error
        } catch {
            throw .output(path: ldifPath ?? "standard output", reason: "\(error)")
        }
        try ldifOutput.close()
        try credentialsOutput?.close()
        return summary
    }
}
