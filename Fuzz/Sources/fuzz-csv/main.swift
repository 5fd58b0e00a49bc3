// Fuzzes the CSV reader on bytes, then turns the table into features and a target as a lab does.
import Foundation
import FuzzSupport
import LabKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in
        let table = try CSVReader().parse(data, path: "fuzz.csv")
        if let target = table.columnNames.last {
            _ = try table.featuresAndTarget(target: target)
            _ = try table.features(excluding: [target], encoding: .integerCodes)
        }
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        [("numeric.csv", "x,y,target\n1,2.5,0\n-3e2,0.125,1\n4,NA,0\n"),
         ("categorical.csv", "colour,size,label\nred,1,yes\n\"blue, dark\",2,no\ngreen,?,yes\n"),
         ("quoted.csv", "\u{FEFF}name,\"say \"\"hi\"\"\",n\r\n\"a\nb\",x,1\r\nc,y,2\r\n"),
         ("one-column.csv", "v\n1\n2\n3\n")].map { ($0.0, Data($0.1.utf8)) }
    }
}
