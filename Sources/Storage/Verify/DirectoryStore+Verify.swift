extension DirectoryStore {
    /// Checks the store's entries, tree, indexes and counters against one another (see ``StoreVerifier``).
    package func verify(maximumFindings: Int = 1000) throws(StoreError) -> VerificationReport {
        var verifier = StoreVerifier(environment: environment, context: context, namingContexts: namingContexts)
        verifier.maximumFindings = maximumFindings
        return try verifier.verify()
    }
}
