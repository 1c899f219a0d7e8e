// Tables (predict, layers, images, get) as text, HTML and JSON in one bundle.

/// A JSON scalar in a table cell.
enum Cell: Equatable {
  case text(String)
  case integer(Int)
  case number(Double)
  case flag(Bool)
  case integers([Int])

  /// The cell in JSON.
  var json: String {
    switch self {
    case .text(let s): jsonString(s)
    case .integer(let n): String(n)
    case .number(let x): x.isFinite ? String(x) : "null"
    case .flag(let b): b ? "true" : "false"
    case .integers(let list): "[" + list.map(String.init).joined(separator: ", ") + "]"
    }
  }
}

/// A table: column headers, rows of display text, and the same rows as JSON values.
struct Table {
  /// A column: its header, its JSON key, and whether text right-aligns numbers.
  struct Column {
    var header: String
    var key: String
    var rightAligned = false
  }

  var columns: [Column]
  /// What people read, one string per column.
  var rows: [[String]]
  /// What programs read, one value per column.
  var values: [[Cell]]
  /// Plain text to use instead of the generated one (e.g. the shared prediction table).
  var plainText: String?
  /// A line shown above the table in text and HTML (e.g. that the model is untrained).
  var note: String?

  /// Fixed-width text with a header; trailing spaces trimmed.
  var text: String {
    if let plainText { return plainText }
    let widths = columns.indices.map { c in
      ([columns[c].header] + rows.map { $0[c] }).map(\.count).max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      var out = cells.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return columns[c].rightAligned ? pad + cell : cell + pad
      }.joined(separator: "  ")
      while out.hasSuffix(" ") { out.removeLast() }
      return out
    }
    return ([line(columns.map(\.header))] + rows.map(line)).joined(separator: "\n")
  }

  /// An HTML `<table>` with escaped cells.
  var html: String {
    func cell(_ tag: String, _ text: String, _ right: Bool) -> String {
      let style = right ? " style=\"text-align: right\"" : ""
      return "<\(tag)\(style)>\(htmlEscaped(text))</\(tag)>"
    }
    let head = columns.map { cell("th", $0.header, $0.rightAligned) }.joined()
    let body = rows.map { row in
      "<tr>" + zip(columns, row).map { cell("td", $1, $0.rightAligned) }.joined() + "</tr>"
    }
    return "<table>\n<thead><tr>\(head)</tr></thead>\n<tbody>\n"
      + body.joined(separator: "\n") + "\n</tbody>\n</table>"
  }

  /// A JSON array with one object per row, keys in column order.
  var json: String {
    let objects = values.map { row in
      "{" + zip(columns, row).map { "\(jsonString($0.key)): \($1.json)" }.joined(separator: ", ")
        + "}"
    }
    return "[" + objects.joined(separator: ",\n ") + "]"
  }

  /// The MIME type of the rows as JSON.
  ///
  /// NB: a vendor `+json` type, not `application/json`: JupyterLab ranks its JSON viewer above
  /// HTML, so `application/json` would show every table as a collapsed JSON tree. Programs read
  /// the rows from this type; front ends show the HTML or the text.
  static let jsonMIMEType = "application/vnd.glimpse.table+json"

  /// The table as an execute_result bundle.
  var bundle: MIMEBundle {
    let plain = note.map { $0 + "\n" + text } ?? text
    let html = note.map { "<p><strong>\(htmlEscaped($0))</strong></p>\n" + self.html } ?? self.html
    return MIMEBundle(data: [
      "text/plain": .text(plain), "text/html": .text(html), Self.jsonMIMEType: .json(json),
    ])
  }
}

/// `s` as a JSON string literal, escaped as Python's `json.dumps(ensure_ascii=False)` does it
/// (quote, backslash, control characters; other characters as they are), so notebooks written
/// here diff cleanly against Jupyter's.
public func jsonString(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    default:
      if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}

/// `s` with HTML's special characters escaped.
func htmlEscaped(_ s: String) -> String {
  var out = ""
  for c in s {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    default: out.append(c)
    }
  }
  return out
}
