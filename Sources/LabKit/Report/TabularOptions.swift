// TabularOptions: the options of every lab that fits a CSV file
// (DESIGN.md, "Labs: one shape for all").
//
//     --csv FILE            the file to fit (without it the lab runs on built-in data)
//     --target COLUMN       the column to predict (default "target")
//     --task KIND           classification or regression (default: inferred from the target)
//     --test-size F         the fraction held out for testing (default 0.25)
//     --cv K                also run K-fold cross-validation (stratified for classification)
//
// A lab includes them with `@OptionGroup var tabular: TabularOptions`.
import ArgumentParser

extension TabularTask: ExpressibleByArgument {}

/// The options shared by the labs that fit tabular data.
public struct TabularOptions: ParsableArguments {
    @Option(help: "A CSV file with a header row to fit (default: the lab's built-in data).")
    public var csv: String?

    @Option(help: "The CSV column to predict.")
    public var target = "target"

    @Option(help: "classification or regression (default: inferred; a text target or one with at most \(TabularDataset.maximumInferredClasses) distinct integers is classification).")
    public var task: TabularTask?

    @Option(help: "Fraction of the rows held out as the test set.")
    public var testSize = 0.25

    @Option(help: "Also run K-fold cross-validation on all rows and report cv_<metric>_mean and cv_<metric>_std.")
    public var cv: Int?

    public init() {}

    public func validate() throws {
        guard testSize > 0 && testSize < 1 else { throw ValidationError("--test-size must be between 0 and 1, got \(testSize)") }
        if let cv, cv < 2 { throw ValidationError("--cv must be at least 2 folds, got \(cv)") }
        if csv == nil, task != nil || cv != nil {
            throw ValidationError("--task and --cv apply to a --csv file")
        }
    }
}
