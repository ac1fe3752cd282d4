import NIOConcurrencyHelpers

/// Storing and taking paged-search states by cookie.
extension PagedSearchRegistry {
    /// Removes and returns the state stored under `cookie`; `nil` for a cookie the registry did not issue or
    /// already used (each page gets a new cookie, so an old one cannot replay a page).
    func take(_ cookie: UInt64) -> PagedSearchState? {
        states.withLockedValue { $0.removeValue(forKey: cookie) }
    }

    /// Stores `state` under a new random cookie, forgetting the oldest state when `limit` are stored.
    func store(_ state: PagedSearchState, limit: Int) -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return states.withLockedValue { states in
            while states.count >= max(1, limit),
                let oldest = states.min(by: { $0.value.sequence < $1.value.sequence })?.key
            {
                states.removeValue(forKey: oldest)
            }
            var cookie = generator.next() as UInt64
            while cookie == 0 || states[cookie] != nil { cookie = generator.next() }
            states[cookie] = state
            return cookie
        }
    }
}
