// The glimpse executable: thin wiring only. (Commands arrive with the engine.)
FastKernels.reexecIfNeeded()
print("glimpse")
