import NIOCore

extension Filter {
    /// Parses the string form of a search filter (RFC 4515), e.g.
    /// `(&(objectClass=person)(|(sn=Jensen)(cn=Babs J*)))`.
    ///
    /// Also accepted, as OpenLDAP clients do: a filter without its outer parentheses
    /// (`cn=foo` is `(cn=foo)`), spaces between the components of `&`, `|` and `!`, and the
    /// absolute true and false filters `(&)` and `(|)` of RFC 4526.
    ///
    /// The parser keeps its own stack instead of recursing, and refuses a filter nested more than
    /// `maximumDepth` levels deep (a simple item alone is one level; `(!(cn=a))` is two).
    public init(string: String, maximumDepth: Int = 100) throws(FilterSyntaxError) {
        var parser = FilterStringParser(string: string, maximumDepth: maximumDepth)
        self = try parser.parse()
    }

    /// The RFC 4515 string form, e.g. `(&(cn=Babs J*)(!(sn=\28none\29)))`.
    ///
    /// Values escape `*`, `(`, `)`, `\`, NUL, other control characters and bytes that are not
    /// UTF-8 as `\XX`. Attribute descriptions and matching rules are printed as they are. A filter
    /// the string form cannot express (a substring filter with no component or with empty
    /// components, an extensible match with neither rule nor type, or one whose rule is named `dn`
    /// without `dnAttributes`, which reads back as `:dn`) prints in a form that does not parse
    /// back to the same value. Printing does not recurse, whatever the depth.
    public var stringRepresentation: String {
        var writer = FilterStringWriter()
        writer.write(self)
        return String(decoding: writer.output, as: UTF8.self)
    }
}

/// Writes the string form of a filter with an explicit stack.
private struct FilterStringWriter {
    private enum Work {
        case filter(Filter)
        case close
    }

    var output: [UInt8] = []

    mutating func write(_ filter: Filter) {
        var work: [Work] = [.filter(filter)]
        while let next = work.popLast() {
            guard case .filter(let filter) = next else {
                self.output.append(UInt8(ascii: ")"))
                continue
            }
            switch filter {
            case .and(let children), .or(let children):
                if case .and = filter {
                    self.output.append(contentsOf: "(&".utf8)
                } else {
                    self.output.append(contentsOf: "(|".utf8)
                }
                work.append(.close)
                work.append(contentsOf: children.reversed().lazy.map { .filter($0) })
            case .not(let child):
                self.output.append(contentsOf: "(!".utf8)
                work.append(.close)
                work.append(.filter(child))
            case .equalityMatch(let assertion):
                self.writeAssertion(assertion, operator: "=")
            case .greaterOrEqual(let assertion):
                self.writeAssertion(assertion, operator: ">=")
            case .lessOrEqual(let assertion):
                self.writeAssertion(assertion, operator: "<=")
            case .approxMatch(let assertion):
                self.writeAssertion(assertion, operator: "~=")
            case .present(let attribute):
                self.output.append(UInt8(ascii: "("))
                self.output.append(contentsOf: attribute.readableBytesView)
                self.output.append(contentsOf: "=*)".utf8)
            case .substrings(let substrings):
                self.output.append(UInt8(ascii: "("))
                self.output.append(contentsOf: substrings.attributeDescription.readableBytesView)
                self.output.append(UInt8(ascii: "="))
                if let initial = substrings.initial {
                    self.writeValue(initial)
                }
                self.output.append(UInt8(ascii: "*"))
                for any in substrings.any {
                    self.writeValue(any)
                    self.output.append(UInt8(ascii: "*"))
                }
                if let final = substrings.final {
                    self.writeValue(final)
                }
                self.output.append(UInt8(ascii: ")"))
            case .extensibleMatch(let assertion):
                self.output.append(UInt8(ascii: "("))
                if let type = assertion.type {
                    self.output.append(contentsOf: type.readableBytesView)
                }
                if assertion.dnAttributes {
                    self.output.append(contentsOf: ":dn".utf8)
                }
                if let rule = assertion.matchingRule {
                    self.output.append(UInt8(ascii: ":"))
                    self.output.append(contentsOf: rule.readableBytesView)
                }
                self.output.append(contentsOf: ":=".utf8)
                self.writeValue(assertion.matchValue)
                self.output.append(UInt8(ascii: ")"))
            }
        }
    }

    private mutating func writeAssertion(_ assertion: AttributeValueAssertion, operator: String) {
        self.output.append(UInt8(ascii: "("))
        self.output.append(contentsOf: assertion.attributeDescription.readableBytesView)
        self.output.append(contentsOf: `operator`.utf8)
        self.writeValue(assertion.assertionValue)
        self.output.append(UInt8(ascii: ")"))
    }

    private mutating func writeValue(_ buffer: ByteBuffer) {
        let value = Array(buffer.readableBytesView)
        UTF8Validation.forEachSequence(in: value, range: value.indices) { start, length, isValid in
            let byte = value[start]
            let mustEscape: Bool
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"), 0..<0x20, 0x7F:
                mustEscape = true
            default:
                mustEscape = !isValid
            }
            if mustEscape {
                for escaped in value[start..<(start + length)] {
                    self.output.append(UInt8(ascii: "\\"))
                    DNHex.append(escaped, to: &self.output)
                }
            } else {
                self.output.append(contentsOf: value[start..<(start + length)])
            }
            return true
        }
    }
}

/// A single-pass parser of the RFC 4515 string form that keeps the open `&`, `|` and `!`
/// filters on an explicit stack, so nesting costs heap, not call stack.
private struct FilterStringParser {
    private enum Composite {
        case and, or, not
    }

    private struct Frame {
        var kind: Composite
        var children: [Filter] = []
    }

    private let bytes: [UInt8]
    /// Whether `bytes` is the input wrapped in parentheses added by the parser.
    private let isWrapped: Bool
    private let inputLength: Int
    private let maximumDepth: Int
    private var position = 0

    init(string: String, maximumDepth: Int) {
        let input = Array(string.utf8)
        self.inputLength = input.count
        self.maximumDepth = maximumDepth
        var start = 0
        while start < input.count, input[start] == UInt8(ascii: " ") {
            start += 1
        }
        if start < input.count, input[start] != UInt8(ascii: "(") {
            var wrapped: [UInt8] = []
            wrapped.reserveCapacity(input.count + 2)
            wrapped.append(contentsOf: input[..<start])
            wrapped.append(UInt8(ascii: "("))
            wrapped.append(contentsOf: input[start...])
            wrapped.append(UInt8(ascii: ")"))
            self.bytes = wrapped
            self.isWrapped = true
        } else {
            self.bytes = input
            self.isWrapped = false
        }
    }

    // MARK: Structure

    mutating func parse() throws(FilterSyntaxError) -> Filter {
        var stack: [Frame] = []
        self.skipSpaces()
        guard self.position < self.bytes.count else {
            throw self.error(.empty, at: 0)
        }
        nextFilter: while true {
            guard stack.count < self.maximumDepth else {
                throw self.error(.tooDeep(maximumDepth: self.maximumDepth), at: self.position)
            }
            try self.expect(
                UInt8(ascii: "("),
                stack.last.map {
                    $0.kind == .not
                        ? "'(' starting the filter negated by '!'"
                        : "'(' starting a component or ')' closing the filter"
                }
                    ?? "'(' starting a filter"
            )
            guard self.position < self.bytes.count else {
                throw self.error(
                    .unexpectedEnd(expected: "'&', '|', '!' or an attribute description"), at: self.position)
            }
            var completed: Filter
            switch self.bytes[self.position] {
            case UInt8(ascii: "&"), UInt8(ascii: "|"):
                let kind: Composite = self.bytes[self.position] == UInt8(ascii: "&") ? .and : .or
                self.position += 1
                self.skipSpaces()
                guard self.peek() == UInt8(ascii: ")") else {
                    stack.append(Frame(kind: kind))
                    continue nextFilter
                }
                self.position += 1
                completed = kind == .and ? .and([]) : .or([])
            case UInt8(ascii: "!"):
                self.position += 1
                self.skipSpaces()
                stack.append(Frame(kind: .not))
                continue nextFilter
            default:
                completed = try self.parseItem()
            }
            // Attach the completed filter to the open composites, closing those that end here.
            while let last = stack.indices.last {
                if stack[last].kind == .not {
                    stack.removeLast()
                    self.skipSpaces()
                    try self.expect(UInt8(ascii: ")"), "')' closing a '!' filter, which has exactly one component")
                    completed = .not(completed)
                    continue
                }
                stack[last].children.append(completed)
                self.skipSpaces()
                guard self.peek() == UInt8(ascii: ")") else {
                    continue nextFilter
                }
                self.position += 1
                let frame = stack.removeLast()
                completed = frame.kind == .and ? .and(frame.children) : .or(frame.children)
            }
            let end = self.position
            self.skipSpaces()
            guard self.position == self.bytes.count else {
                if self.isWrapped {
                    // The `)` the parser added is left over: a `)` of the input closed the filter early.
                    throw self.error(.unexpectedCharacter(")", expected: "the end of the filter"), at: end - 1)
                }
                throw self.error(
                    .unexpectedCharacter(self.character(at: self.position), expected: "the end of the filter"),
                    at: self.position
                )
            }
            return completed
        }
    }

    // MARK: Items

    /// `item` after its `(`, through its `)`: simple, present, substring or extensible.
    private mutating func parseItem() throws(FilterSyntaxError) -> Filter {
        let attributeStart = self.position
        while self.position < self.bytes.count, Self.isDescriptionByte(self.bytes[self.position]) {
            self.position += 1
        }
        let attributeRange = attributeStart..<self.position
        let operatorsExpected = "'=', '~=', '>=', '<=' or ':' after the attribute description"
        guard self.position < self.bytes.count else {
            throw self.error(.unexpectedEnd(expected: operatorsExpected), at: self.position)
        }
        let operatorByte = self.bytes[self.position]
        if operatorByte == UInt8(ascii: ":") {
            return try self.parseExtensible(attributeRange: attributeRange)
        }
        guard !attributeRange.isEmpty else {
            throw self.error(
                .unexpectedCharacter(self.character(at: self.position), expected: "an attribute description"),
                at: self.position
            )
        }
        switch operatorByte {
        case UInt8(ascii: "="):
            let attribute = try self.attributeDescription(attributeRange)
            self.position += 1
            let valueStart = self.position
            let parts = try self.parseValue(allowingSubstrings: true)
            if parts.count == 1 {
                return .equalityMatch(
                    AttributeValueAssertion(
                        attributeDescription: attribute, assertionValue: ByteBuffer(bytes: parts[0])))
            }
            if parts.count == 2, parts[0].isEmpty, parts[1].isEmpty {
                return .present(attribute)
            }
            let initial = parts[0].isEmpty ? nil : ByteBuffer(bytes: parts[0])
            let final = parts[parts.count - 1].isEmpty ? nil : ByteBuffer(bytes: parts[parts.count - 1])
            let any = parts[1..<(parts.count - 1)].filter { !$0.isEmpty }.map { ByteBuffer(bytes: $0) }
            guard initial != nil || final != nil || !any.isEmpty else {
                throw self.error(.emptySubstringFilter, at: valueStart)
            }
            return .substrings(
                SubstringFilter(attributeDescription: attribute, initial: initial, any: any, final: final))
        case UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "<"):
            let attribute = try self.attributeDescription(attributeRange)
            self.position += 1
            try self.expect(UInt8(ascii: "="), "'=' completing the operator")
            let value = ByteBuffer(bytes: try self.parseValue(allowingSubstrings: false)[0])
            let assertion = AttributeValueAssertion(attributeDescription: attribute, assertionValue: value)
            switch operatorByte {
            case UInt8(ascii: "~"): return .approxMatch(assertion)
            case UInt8(ascii: ">"): return .greaterOrEqual(assertion)
            default: return .lessOrEqual(assertion)
            }
        default:
            throw self.error(
                .unexpectedCharacter(self.character(at: self.position), expected: operatorsExpected),
                at: self.position
            )
        }
    }

    /// `extensible = ( attr [dnattrs] [matchingrule] COLON EQUALS assertionvalue )
    ///             / ( [dnattrs] matchingrule COLON EQUALS assertionvalue )`, from the first `:`.
    private mutating func parseExtensible(attributeRange: Range<Int>) throws(FilterSyntaxError) -> Filter {
        let type = attributeRange.isEmpty ? nil : try self.attributeDescription(attributeRange)
        var dnAttributes = false
        var rule: ByteBuffer?
        self.position += 1  // ':'
        if self.peek() != UInt8(ascii: "=") {
            var tokenStart = self.position
            var token = self.readRuleToken()
            if token.count == 2, token[0] | 0x20 == UInt8(ascii: "d"), token[1] | 0x20 == UInt8(ascii: "n") {
                dnAttributes = true
                try self.expect(UInt8(ascii: ":"), "':' after ':dn'")
                tokenStart = self.position
                token = self.peek() == UInt8(ascii: "=") ? [] : self.readRuleToken()
            }
            if !token.isEmpty {
                guard Self.isOID(token[...]) else {
                    throw self.error(.invalidMatchingRule(String(decoding: token, as: UTF8.self)), at: tokenStart)
                }
                rule = ByteBuffer(bytes: token)
                try self.expect(UInt8(ascii: ":"), "':=' after the matching rule")
            } else if !dnAttributes {
                throw self.error(.missingMatchingRule, at: tokenStart)
            }
        }
        guard type != nil || rule != nil else {
            throw self.error(.missingMatchingRule, at: self.position)
        }
        try self.expect(UInt8(ascii: "="), "'=' of ':='")
        let value = ByteBuffer(bytes: try self.parseValue(allowingSubstrings: false)[0])
        return .extensibleMatch(
            MatchingRuleAssertion(matchingRule: rule, type: type, matchValue: value, dnAttributes: dnAttributes))
    }

    private mutating func readRuleToken() -> [UInt8] {
        let start = self.position
        while self.position < self.bytes.count, Self.isDescriptionByte(self.bytes[self.position]),
            self.bytes[self.position] != UInt8(ascii: ";")
        {
            self.position += 1
        }
        return Array(self.bytes[start..<self.position])
    }

    /// A value through the closing `)`, split at unescaped `*` when substrings are allowed
    /// (one part means no `*`).
    private mutating func parseValue(allowingSubstrings: Bool) throws(FilterSyntaxError) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        while self.position < self.bytes.count {
            let byte = self.bytes[self.position]
            switch byte {
            case UInt8(ascii: ")"):
                self.position += 1
                parts.append(current)
                return parts
            case UInt8(ascii: "\\"):
                guard self.position + 2 < self.bytes.count,
                    let high = DNHex.value(self.bytes[self.position + 1]),
                    let low = DNHex.value(self.bytes[self.position + 2])
                else {
                    throw self.error(.invalidEscape, at: self.position)
                }
                current.append(high << 4 | low)
                self.position += 3
            case UInt8(ascii: "*") where allowingSubstrings:
                parts.append(current)
                current = []
                self.position += 1
            case UInt8(ascii: "*"), UInt8(ascii: "("), 0:
                throw self.error(.unescapedCharacter(Character(Unicode.Scalar(byte))), at: self.position)
            default:
                current.append(byte)
                self.position += 1
            }
        }
        throw self.error(.unexpectedEnd(expected: "')' closing the filter"), at: self.position)
    }

    // MARK: Lexical helpers

    /// `attributedescription = attributetype options` with `attributetype = descr / numericoid`.
    private func attributeDescription(_ range: Range<Int>) throws(FilterSyntaxError) -> ByteBuffer {
        let description = self.bytes[range]
        var components = description.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        let type = components.removeFirst()
        let optionsAreValid = components.allSatisfy { option in
            !option.isEmpty && option.allSatisfy { Self.isKeyByte($0) }
        }
        guard Self.isOID(type), optionsAreValid else {
            throw self.error(
                .invalidAttributeDescription(String(decoding: description, as: UTF8.self)), at: range.lowerBound)
        }
        return ByteBuffer(bytes: description)
    }

    /// `oid = descr / numericoid`.
    private static func isOID(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            return DNParser.isNumericOID(bytes)
        }
        return (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
            && bytes.allSatisfy { Self.isKeyByte($0) }
    }

    /// `keychar = ALPHA / DIGIT / HYPHEN`.
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func isDescriptionByte(_ byte: UInt8) -> Bool {
        Self.isKeyByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ";")
    }

    private func peek() -> UInt8? {
        self.position < self.bytes.count ? self.bytes[self.position] : nil
    }

    private mutating func skipSpaces() {
        while self.position < self.bytes.count, self.bytes[self.position] == UInt8(ascii: " ") {
            self.position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ expected: String) throws(FilterSyntaxError) {
        guard self.position < self.bytes.count else {
            throw self.error(.unexpectedEnd(expected: expected), at: self.position)
        }
        guard self.bytes[self.position] == byte else {
            throw self.error(
                .unexpectedCharacter(self.character(at: self.position), expected: expected), at: self.position)
        }
        self.position += 1
    }

    /// The character starting at `offset`, for error messages.
    private func character(at offset: Int) -> Character {
        let end = min(offset + 4, self.bytes.count)
        let decoded = String(decoding: self.bytes[offset..<end], as: UTF8.self)
        return decoded.unicodeScalars.first.map(Character.init) ?? "?"
    }

    /// An error at `position` of `bytes`, its offset mapped back to the input as given.
    private func error(_ kind: FilterSyntaxError.Kind, at position: Int) -> FilterSyntaxError {
        var offset = position
        if self.isWrapped, offset > 0 {
            offset -= 1
        }
        return FilterSyntaxError(kind, offset: min(offset, self.inputLength))
    }
}
