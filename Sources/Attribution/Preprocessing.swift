// From display pixels to the tensor a model reads: the one bridge between Imaging and Engine.
