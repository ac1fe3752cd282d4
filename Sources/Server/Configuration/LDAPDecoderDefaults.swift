import LDAPProtocol

/// The protocol module's own decoding defaults, so the server's defaults cannot drift from them.
package enum LDAPDecoderDefaults {
    /// `LDAPMessageDecoder`'s default maximum PDU size (256 KiB).
    package static let maximumMessageSize = LDAPMessageDecoder().maximumMessageSize
    /// `LDAPDecodingOptions`' default filter depth.
    package static let maximumFilterDepth = LDAPDecodingOptions().maximumFilterDepth
}
