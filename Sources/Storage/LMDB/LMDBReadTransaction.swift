import CLMDB

/// A read-only transaction: a consistent snapshot of the environment as of its start, lent to the closure of
/// `LMDBEnvironment.read` and reset into the environment's pool when it returns.
///
/// It never waits for the writer and the writer never waits for it. Its read operations come from `LMDBReadable`.
package struct LMDBReadTransaction: ~Copyable, LMDBReadable {
    /// The underlying transaction.
    package let transactionHandle: LMDBTransactionHandle

    init(pointer: OpaquePointer) {
        transactionHandle = LMDBTransactionHandle(pointer: pointer, writeState: nil)
    }
}
