// A JUnit XML report (the layout CI systems read: testsuites > testsuite > testcase), one
// suite per notebook and one case per code cell.
import Foundation

/// Renders replay reports as JUnit XML.
public enum JUnitReport {
  /// The XML document for `reports`.
  public static func xml(_ reports: [NotebookReport]) -> String {
    let tests = reports.reduce(0) { $0 + $1.cells.count + ($1.error == nil ? 0 : 1) }
    let failures = reports.reduce(0) { $0 + $1.failed }
    var out = [
      #"<?xml version="1.0" encoding="UTF-8"?>"#,
      #"<testsuites name="glimpse replay" tests="\#(tests)" failures="\#(failures)">"#,
    ]
    for report in reports { out += suite(report) }
    out.append("</testsuites>")
    return out.joined(separator: "\n") + "\n"
  }

  private static func suite(_ report: NotebookReport) -> [String] {
    let name = escape(report.path)
    let time = report.cells.reduce(Duration.zero) { $0 + $1.duration }
    let tests = report.cells.count + (report.error == nil ? 0 : 1)
    var out = [
      "  <testsuite name=\"\(name)\" tests=\"\(tests)\" failures=\"\(report.failed)\" "
        + "errors=\"0\" skipped=\"0\" time=\"\(seconds(time))\">"
    ]
    for cell in report.cells {
      let head =
        "    <testcase classname=\"\(name)\" name=\"\(escape(cell.title))\" "
        + "time=\"\(seconds(cell.duration))\""
      if cell.verdict.isPass {
        out.append(head + "/>")
      } else {
        out.append(head + ">")
        let body = cell.lines.dropFirst().joined(separator: "\n")
        out.append(
          "      <failure message=\"\(escape(cell.verdict.headline))\">\(escape(body))</failure>")
        out.append("    </testcase>")
      }
    }
    if let error = report.error {
      out.append("    <testcase classname=\"\(name)\" name=\"notebook\" time=\"0\">")
      out.append("      <error message=\"\(escape(error))\"/>")
      out.append("    </testcase>")
    }
    out.append("  </testsuite>")
    return out
  }

  private static func seconds(_ duration: Duration) -> String {
    String(format: "%.3f", duration.seconds)
  }

  /// XML text and attribute escaping; control characters XML 1.0 forbids become `?`.
  static func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
      default: if scalar.value < 0x20 { out += "?" } else { out.unicodeScalars.append(scalar) }
      }
    }
    return out
  }
}
