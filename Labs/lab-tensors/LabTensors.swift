@main struct LabTensors { static func main() {} }
