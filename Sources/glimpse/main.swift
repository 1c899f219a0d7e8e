// The glimpse executable: thin wiring only.
print("glimpse")
